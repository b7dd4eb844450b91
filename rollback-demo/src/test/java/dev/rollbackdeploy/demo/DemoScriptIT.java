package dev.rollbackdeploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command in the form CI runs: {@code ./demo.sh --no-wait} with the .hpi this reactor just
 * built (no second build), the real Jenkins, HAProxy, Prometheus and Chromium. It must exit 0, leave its
 * screenshots (real PNGs of some size), show the story in its output, and leave nothing running — checked
 * here again from the pids and ports the demo wrote down, not only by the script's own word.
 * Everything stays in target/demo-run/ (logs, screenshots, JENKINS_HOME) for CI to keep.
 */
class DemoScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("rollback.root", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/demo-run").toAbsolutePath();

    @Test
    void noWaitDemoRunsTheStoryClicksTheButtonChecksTheTargetAndLeavesNothingRunning() throws Exception {
        Path hpi = Path.of(System.getProperty("rollback.hpi", ROOT.resolve("rollback-plugin/target/rollback-deploy.hpi").toString()));
        assertThat(hpi).as("the reactor builds the plugin before this module").isRegularFile();
        deleteTree(WORK);
        Path log = Files.createDirectories(WORK.getParent()).resolve("demo-run.log");
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("demo.sh").toString(), "--no-wait")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ROLLBACK_DEMO_HPI", hpi.toString());
        builder.environment().put("DEMO_DIR", WORK.toString());
        long started = System.nanoTime();
        Process demo = builder.start();
        boolean ended = demo.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroy();
            demo.waitFor(2, TimeUnit.MINUTES);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        System.out.println("./demo.sh --no-wait (hpi reused) took " + (System.nanoTime() - started) / 1_000_000_000 + " s");
        assertThat(ended).as("demo.sh ended within 8 minutes").isTrue();
        assertThat(demo.exitValue()).as(output).isZero();

        assertThat(output).contains("check: build #1 SUCCESS", "recorded shop#1 as PROMOTED",
                "ERROR: canaryDeploy ABORTED: the gate said roll back", "check: build #2 FAILURE",
                "rollback: RESTORED", "in sync: live matches the record of shop#1", "all served by v2",
                "restored shop#1 with 0 writes", "nothing left running");
        for (String shot : List.of("good-build.png", "good-build-record.png", "rollback-page.png", "bad-build-record.png",
                "deployments.png")) {
            Path png = WORK.resolve("screenshots").resolve(shot);
            assertThat(png).as(shot).isRegularFile();
            byte[] bytes = Files.readAllBytes(png);
            assertThat(Arrays.copyOf(bytes, 4)).as(shot + " is a PNG").containsExactly(0x89, 'P', 'N', 'G');
            assertThat(bytes.length).as(shot + " is more than a blank page").isGreaterThan(20_000);
        }
        assertNothingLeftRunning();
    }

    private static void assertNothingLeftRunning() throws IOException {
        Map<String, String> environment = EnvFile.read(WORK.resolve("environment.env"));
        Map<String, String> jenkins = EnvFile.read(WORK.resolve("jenkins-home/bundle.env"));
        List<String> pids = new java.util.ArrayList<>(List.of(environment.get("DEMO_PID"), jenkins.get("JENKINS_PID")));
        pids.addAll(List.of(environment.get("DEMO_SERVER_PIDS").split(" ")));
        assertThat(pids).as("the environment's haproxy and prometheus were recorded").hasSizeGreaterThanOrEqualTo(4);
        for (String pid : pids) {
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
                    .as("process " + pid + " is gone").isFalse();
        }
        List<String> ports = new java.util.ArrayList<>(List.of(environment.get("DEMO_PORTS").split(" ")));
        ports.add(jenkins.get("JENKINS_URL").replaceAll(".*:(\\d+)/?$", "$1"));
        for (String port : ports) {
            assertThat(listening(Integer.parseInt(port))).as("port " + port + " is closed").isFalse();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
