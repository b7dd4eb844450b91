package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged CLI ({@code target/rollback-cli.jar}, built by {@code package}) run as its own
 * {@code java -jar} process, the way {@code bin/rollback} runs it: what users get, not the classes
 * on the test's class path. Every run is checked for secrets that must never be printed.
 */
final class CliProcess {

    /** One finished run: its command line, exit code and everything it printed. */
    record Run(List<String> args, int exit, String out, String err) {
        /** For assertion messages: the command and what it printed. */
        String describe() {
            return "rollback " + String.join(" ", args) + "\n-- exit " + exit + "\n-- stdout:\n" + out + "\n-- stderr:\n" + err;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path jar;
    private final Path workDir;
    private final List<String> secrets;
    private final AtomicInteger runs = new AtomicInteger();

    private CliProcess(Path jar, Path workDir, List<String> secrets) {
        this.jar = jar;
        this.workDir = workDir;
        this.secrets = secrets;
    }

    /**
     * The jar failsafe names ({@code rollback.cli.jar}), run in {@code workDir}; fails the test when it
     * was not built, since ITs run after {@code package} ({@code mvn verify}) and never build it themselves.
     */
    static CliProcess packaged(Path workDir, String... neverPrinted) {
        Path jar = Path.of(System.getProperty("rollback.cli.jar", "target/rollback-cli.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the packaged CLI " + jar + " does not exist: run the *IT tests with `mvn verify`"
                    + " (failsafe runs them after `package`, which builds it)");
        }
        return new CliProcess(jar, workDir, List.of(neverPrinted));
    }

    /** Runs {@code rollback args...} to the end (or fails the test after the timeout, killing it). */
    Run run(String... args) {
        return start(args).await();
    }

    /** Starts {@code rollback args...} and returns at once, e.g. to send it a signal mid-rollout. */
    Running start(String... args) {
        int n = runs.incrementAndGet();
        Path out = workDir.resolve("run-" + n + ".out");
        Path err = workDir.resolve("run-" + n + ".err");
        // The two flags only shorten a short-lived JVM's start on a busy CI machine; the jar is as shipped.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // Only what the command line says reaches the cluster: no kubeconfig from the test's environment.
        builder.environment().remove("KUBECONFIG");
        try {
            return new Running(List.of(args), builder.start(), out, err);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /** A CLI process that was started and may still run. */
    final class Running {
        private final List<String> args;
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(List<String> args, Process process, Path out, Path err) {
            this.args = args;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** SIGTERM, as a CI system's abort or {@code kill} sends it (Ctrl-C is SIGINT; the JVM handles both alike). */
        void terminate() {
            process.destroy();
        }

        /** What it printed so far. */
        String errSoFar() {
            try {
                return read(err);
            } catch (IOException e) {
                return "(cannot read " + err + ": " + e.getMessage() + ")";
            }
        }

        /** Waits for the end (failing the test and killing it after the timeout); checks no secret was printed. */
        Run await() {
            try {
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                    throw new AssertionError("rollback " + String.join(" ", args) + " did not exit within " + TIMEOUT
                            + " and was killed (pid " + process.pid() + ")\n-- stdout so far:\n" + read(out)
                            + "\n-- stderr so far:\n" + read(err));
                }
                Run run = new Run(args, process.exitValue(), read(out), read(err));
                for (String secret : secrets) {
                    assertThat(run.out() + run.err()).as("a secret was printed by\n%s", run.describe()).doesNotContain(secret);
                }
                return run;
            } catch (IOException e) {
                throw new AssertionError("cannot read what rollback " + String.join(" ", args) + " printed: "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for rollback " + String.join(" ", args), e);
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
