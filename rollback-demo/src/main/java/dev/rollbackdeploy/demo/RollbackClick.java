package dev.rollbackdeploy.demo;

import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.TargetStatus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.vm.VmTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person does on the good build's "Roll back to this build" page, over HTTP: open the page, submit
 * its confirm form (with the session's crumb, as the browser would), follow the restore's progress page
 * until it ends; then checks the target: the live split equals the build's record (the front door's own
 * status check) and every request through HAProxy is served by the version that build put live.
 */
final class RollbackClick {

    private static final Pattern STATE = Pattern.compile("id=\"restore-state\">([^<]*)<");
    private static final Pattern RESULT = Pattern.compile("id=\"restore-result\">([^<]*)<");

    private final JenkinsSession session;
    private final PrintStream out;

    RollbackClick(JenkinsSession session, PrintStream out) {
        this.session = session;
        this.out = out;
    }

    /** Clicks the button of {@code job #build} and waits for the restore; returns its result line. */
    String click(String job, int build) throws IOException, InterruptedException {
        String page = "job/" + job + "/" + build + "/rollback/";
        JenkinsSession.Response form = session.get(page);
        JenkinsSetup.expect(form, "opening " + page, 200);
        if (!form.body().contains("id=\"rollback-confirm\"")) {
            throw new IOException(session.base() + page + " shows no \"Roll back\" button; it says:\n"
                    + text(form.body()));
        }
        JenkinsSession.Response posted = session.submitForm(page + "restore", Map.of());
        JenkinsSetup.expect(posted, "submitting the rollback form of " + job + " #" + build, 302, 303);
        URI progress = session.base().resolve(posted.location());
        out.println("rollback: button clicked; the restore runs as a queue task: " + progress);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            String body = session.get(progress.toString()).body();
            Matcher result = RESULT.matcher(body);
            Matcher state = STATE.matcher(body);
            if (result.find()) {
                String finalState = state.find() ? state.group(1).strip() : "(no state)";
                String line = finalState + ": " + result.group(1).strip();
                if (!finalState.equals("RESTORED")) {
                    throw new IOException("the restore of " + job + " #" + build + " did not succeed: " + line
                            + "\nits page: " + progress);
                }
                return line;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("the restore of " + job + " #" + build + " has not ended after 2 minutes; see " + progress);
            }
            Thread.sleep(500);
        }
    }

    /**
     * The live split against the build's record (read from the controller's record store), and which
     * versions serve 50 requests through the frontend.
     *
     * @return the versions that served them, with counts
     */
    Map<String, Integer> checkTarget(Path records, String build, URI frontend) throws IOException, InterruptedException {
        DeploymentRecord record = new FileRecordStore(records).load(BuildRef.parse(build));
        DriftReport drift;
        try {
            drift = TargetStatus.check(record, VmTarget.open(record, Duration.ofSeconds(2)), "haproxy");
        } catch (OperationException e) {
            throw new IOException("cannot compare the live split with the record of " + build + ": " + e.getMessage(), e);
        }
        if (!drift.inSync()) {
            throw new IOException("after the restore, the live split differs from the record of " + build + ":\n"
                    + drift.render());
        }
        out.println("check: " + drift.render().strip());
        Map<String, Integer> served = new TreeMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 50; i++) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(frontend).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            served.merge(response.headers().firstValue("X-Served-By").orElse("(none, HTTP " + response.statusCode() + ")"),
                    1, Integer::sum);
        }
        return served;
    }

    private static String text(String html) {
        String plain = html.replaceAll("(?s)<script.*?</script>", "").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
        int at = plain.indexOf("Roll back to this build");
        return plain.substring(Math.max(0, at), Math.min(plain.length(), Math.max(0, at) + 800));
    }
}
