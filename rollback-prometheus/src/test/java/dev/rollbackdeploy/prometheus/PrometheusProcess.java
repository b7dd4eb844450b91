package dev.rollbackdeploy.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian package {@code prometheus}) on 127.0.0.1, a free port and a temp dir,
 * scraping one target every second. Installs the package when missing. If it cannot start, the test
 * fails with the tail of its log: a test that needs Prometheus never silently skips.
 */
final class PrometheusProcess implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private static boolean aptUpdated;

    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;

    private PrometheusProcess(Path dir, Path log, int port, Process process) {
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:targetPort/metrics} every second; ready when it returns. */
    static PrometheusProcess start(int targetPort) throws IOException, InterruptedException {
        return startWithConfig(String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: fake",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + targetPort + "']",
                ""));
    }

    /** Starts Prometheus with this prometheus.yml; fails with the log tail if it does not become ready. */
    static PrometheusProcess startWithConfig(String yaml) throws IOException, InterruptedException {
        ensureInstalled();
        Path dir = Files.createTempDirectory("prometheus-test-");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, yaml);
        Path log = dir.resolve("prometheus.log");
        int port = freePort();
        // Only flags that 2.42 (Debian 12) and later both know; no console templates, no lifecycle API.
        Process process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusProcess prometheus = new PrometheusProcess(dir, log, port, process);
        try {
            prometheus.awaitReady();
        } catch (RuntimeException | Error | InterruptedException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Ends the process abruptly, as a crash or an OOM kill would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        String last = "no attempt";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue()
                        + " before it was ready; log tail:\n" + logTail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl() + "-/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(500);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200) {
                    return;
                }
                last = "HTTP " + code;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready on " + baseUrl() + " within " + READY_WITHIN + " (last: "
                + last + "); log tail:\n" + logTail());
    }

    private static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        if (!aptUpdated) {
            run(List.of("apt-get", "update"));
            aptUpdated = true;
        }
        // Debian's package may try to start its own service on :9090; we run our own process regardless.
        run(List.of("apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=300", "prometheus"));
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("apt-get installed prometheus but " + BINARY + " is missing");
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("apt-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 10 minutes");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            throw new AssertionError(String.join(" ", command) + " failed with " + p.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
        Files.deleteIfExists(out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
