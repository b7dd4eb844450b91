package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.DebianPackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end, as CI runs it: real HAProxy and Prometheus, a faulty canary rolled back on
 * its own, 100 switches with no switch-caused failure, a healthy canary promoted; then the report is
 * opened in headless Chromium and a screenshot kept in target/ as an artifact.
 */
class LocalDrillTest {

    @TempDir
    Path dir;

    @Test
    void drillCatchesTheBadCanaryRollsBackWithoutFailedSwitchesAndRendersItsReport() throws Exception {
        Path report = dir.resolve("drill.html");
        CliRun run = CliRun.of(Clock.systemUTC(), "--json", "drill", "--report", report.toString(), "--switches", "100");

        String result = run.out();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(result).contains("\"passed\" : true")
                .contains("\"faulty candidate\" : \"ABORTED")
                .contains("\"canary share after the rollback\" : \"0%\"")
                .contains("\"failed requests caused by switching\" : \"0 (of")
                .contains("\"healthy candidate\" : \"PROMOTED\"")
                .contains("\"live split after the rollback equals the good record\" : \"yes\"")
                .contains("\"rollback --to the good build after the rollback\" : \"0 actions (no-op)\"")
                .contains("\"lock left on the target\" : \"none\"");
        String html = Files.readString(report);
        assertThat(html).contains("<svg").contains("PASSED").contains("== drill/local#2  ABORTED")
                .contains("== drill/local#1  PROMOTED").contains("&quot;gateEvidence&quot;");

        // Every record the drill saved (baseline, faulty and healthy candidate) is named by an entry of its own log.
        Path records;
        try (var runs = Files.list(dir)) {
            records = runs.filter(p -> p.getFileName().toString().startsWith("drill-")).findFirst().orElseThrow()
                    .resolve("records");
        }
        assertThat(result).contains("\"records\" : \"" + records + "\"");
        CliRun audit = CliRun.of(Clock.systemUTC(), "--json", "audit", "--verify", "--store", records.toString());
        assertThat(audit.exit()).as(audit.out() + audit.err()).isZero();
        assertThat(audit.out()).contains("\"intact\" : true", "\"problems\" : [ ]");
        assertThat(audit.out().replaceAll("\\s+", " ")).containsSubsequence(
                "\"action\" : \"DEPLOY\"", "\"to\" : \"drill/local#1\"",
                "\"action\" : \"ABORT\"", "\"to\" : \"drill/local#2\"",
                "\"action\" : \"DEPLOY\"", "\"to\" : \"drill/local#3\"");

        Path shot = Path.of("target", "drill-report.png").toAbsolutePath();
        String dom = chromium(report, shot);
        assertThat(dom).contains("<svg").contains("canary error rate").contains("Figures");
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    /** Renders the page headless: returns the DOM after load, and writes a screenshot. */
    private String chromium(Path page, Path screenshot) throws Exception {
        String binary = DebianPackages.ensure("chromium", "/usr/bin/chromium").toString();
        List<String> common = List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1200,1800");
        // One launch does both (Chromium's headless mode runs every command it is given): one start less.
        return run(concat(common, "--screenshot=" + screenshot, "--dump-dom", page.toUri().toString()));
    }

    private static List<String> concat(List<String> head, String... tail) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private String run(List<String> command) throws Exception {
        Path log = Files.createTempFile(dir, "chromium", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s: " + Files.readString(log));
        }
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
        return stdout;
    }
}
