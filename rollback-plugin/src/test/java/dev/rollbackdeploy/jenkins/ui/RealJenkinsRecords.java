package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.jenkins.real.JenkinsRest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds with deployment records in a real Jenkins, made through its script console (admin) by record-builds.groovy. */
final class RealJenkinsRecords {

    private static final Pattern BUILD = Pattern.compile("BUILD=(\\d+)");

    private RealJenkinsRecords() {
    }

    /**
     * @param weights one {stable, canary} split per build, used in turn
     * @return the new builds' numbers
     */
    static List<Integer> create(JenkinsRest admin, String job, int count, String target, String socket, List<int[]> weights,
            String description) throws IOException, InterruptedException {
        List<Integer> numbers = new java.util.ArrayList<>();
        // batches of 50: one script console request must finish within JenkinsRest's 60 s timeout
        for (int done = 0; done < count; done += 50) {
            numbers.addAll(batch(admin, job, Math.min(50, count - done), target, socket, weights, description));
        }
        return numbers;
    }

    private static List<Integer> batch(JenkinsRest admin, String job, int count, String target, String socket,
            List<int[]> weights, String description) throws IOException, InterruptedException {
        String script;
        try (InputStream in = RealJenkinsRecords.class.getResourceAsStream("record-builds.groovy")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        script = script.replace("@JOB@", job).replace("@COUNT@", Integer.toString(count)).replace("@TARGET@", groovy(target))
                .replace("@SOCKET@", groovy(socket)).replace("@DESCRIPTION@", groovy(description))
                .replace("@WEIGHTS@", String.join(", ", weights.stream().map(w -> "[" + w[0] + ", " + w[1] + "]").toList()));
        JenkinsRest.Response response = admin.post("scriptText", null,
                "script=" + URLEncoder.encode(script, StandardCharsets.UTF_8));
        if (response.status() != 200 || !response.body().contains("BUILD=")) {
            throw new IllegalStateException("script console: " + response.status() + " " + response.body());
        }
        Matcher m = BUILD.matcher(response.body());
        List<Integer> numbers = new java.util.ArrayList<>();
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private static String groovy(String text) {
        return text.replace("\\", "\\\\").replace("'", "\\'");
    }
}
