package dev.rollbackdeploy.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the demo job's builds over REST and follows their console as it grows (Jenkins' progressive
 * text), printing the lines our steps write, so every long wait shows progress.
 */
final class DemoBuilds {

    private static final Pattern NEXT = Pattern.compile("\"nextBuildNumber\"\\s*:\\s*(\\d+)");
    private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"([A-Z_]+)\"");

    private final JenkinsSession session;
    private final String job;
    private final PrintStream out;

    DemoBuilds(JenkinsSession session, String job, PrintStream out) {
        this.session = session;
        this.job = job;
        this.out = out;
    }

    /** Schedules a build (with parameters when given) and returns its number once it has started. */
    int start(Map<String, String> parameters) throws IOException, InterruptedException {
        Matcher next = NEXT.matcher(session.get("job/" + job + "/api/json?tree=nextBuildNumber").body());
        if (!next.find()) {
            throw new IOException("Jenkins does not know the job " + job);
        }
        int number = Integer.parseInt(next.group(1));
        String path = parameters.isEmpty() ? "job/" + job + "/build?delay=0sec"
                : "job/" + job + "/buildWithParameters?delay=0sec&" + parameters.entrySet().stream()
                        .map(e -> JenkinsSession.encode(e.getKey()) + "=" + JenkinsSession.encode(e.getValue()))
                        .collect(Collectors.joining("&"));
        JenkinsSetup.expect(session.post(path, null, null), "scheduling a build of " + job, 201);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (session.get("job/" + job + "/" + number + "/api/json?tree=number").status() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("build " + job + " #" + number + " did not start within a minute (is the"
                        + " built-in node's executor busy? see " + session.base() + "computer/)");
            }
            Thread.sleep(250);
        }
        return number;
    }

    /** Prints the build's own lines as they come and returns its result (SUCCESS, FAILURE, ...). */
    String follow(int number, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        while (true) {
            JenkinsSession.Response chunk = session.get("job/" + job + "/" + number + "/logText/progressiveText?start=" + offset);
            // X-Text-Size: where the next chunk starts (bytes of the log, console notes included)
            offset = chunk.headers().firstValue("X-Text-Size").map(Long::parseLong).orElse(offset);
            partial.append(chunk.body());
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                printIfOurs(number, partial.substring(0, end));
                partial.delete(0, end + 1);
            }
            Matcher result = RESULT.matcher(session.get("job/" + job + "/" + number + "/api/json?tree=result,building").body());
            if (result.find()) {
                printIfOurs(number, partial.toString());
                return result.group(1);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("build " + job + " #" + number + " has no result after " + timeout.toSeconds()
                        + " s; see " + session.base() + "job/" + job + "/" + number + "/console");
            }
            Thread.sleep(500);
        }
    }

    String console(int number) throws IOException, InterruptedException {
        return session.get("job/" + job + "/" + number + "/consoleText").body();
    }

    /** Pipeline's own bookkeeping lines ([Pipeline] …) are left out; the steps' lines are what matters. */
    private void printIfOurs(int number, String line) {
        String text = line.replaceAll("\u001B\\[8mha:[^\u001B]*\u001B\\[0m", "").replaceAll("\u001B\\[[0-9;]*m", "").strip();
        if (!text.isEmpty() && !text.startsWith("[Pipeline]")) {
            out.println("  " + job + " #" + number + " | " + text);
        }
    }
}
