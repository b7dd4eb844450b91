package dev.rollbackdeploy.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (Debian package {@code prometheus}) on 127.0.0.1, a free port and a temp dir,
 * scraping every second. Installs the package when missing; fails with its log tail when it cannot
 * start, so nothing that needs it ever silently skips.
 */
public final class LocalPrometheus implements AutoCloseable {

    private static final String BINARY = "/usr/bin/prometheus";
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final LocalServer server;

    private LocalPrometheus(Path dir, int port, LocalServer server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Scrapes {@code 127.0.0.1:port/metrics} of each target port every second. */
    public static LocalPrometheus scraping(int... targetPorts) throws IOException, InterruptedException {
        StringBuilder targets = new StringBuilder();
        for (int target : targetPorts) {
            targets.append(targets.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(target).append('\'');
        }
        return withConfig(String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: local",
                "    static_configs:",
                "      - targets: [" + targets + "]",
                ""));
    }

    /** Starts with this prometheus.yml and waits until {@code /-/ready} answers. */
    public static LocalPrometheus withConfig(String yaml) throws IOException, InterruptedException {
        DebianPackages.ensure("prometheus", BINARY);
        Path dir = Files.createTempDirectory("prometheus-");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), yaml);
        int port = LocalServer.freePort();
        String base = "http://127.0.0.1:" + port + "/";
        // Only flags that 2.42 (Debian 12) and later both know.
        LocalServer server = LocalServer.start("prometheus", List.of(BINARY, "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=info"),
                dir, READY_WITHIN, () -> httpOk(base + "-/ready"));
        return new LocalPrometheus(dir, port, server);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /**
     * Waits until every target has been scraped at least twice, so that {@code increase()} over a
     * short window has data from the first look on (a fresh Prometheus takes a few seconds for that).
     *
     * @throws IOException with the log tail when it has not happened within {@code within}
     */
    public void awaitTwoScrapes(int targets, Duration within) throws IOException, InterruptedException {
        String query = java.net.URLEncoder.encode("count(count_over_time(up{job=\"local\"}[1m]) >= 2) >= " + targets,
                java.nio.charset.StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + "api/v1/query?query=" + query)
                    .toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
            try (var in = connection.getInputStream()) {
                if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("\"result\":[{")) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet: try again
            } finally {
                connection.disconnect();
            }
            Thread.sleep(200);
        }
        throw new IOException("prometheus at " + baseUrl() + " did not scrape its " + targets + " target(s) twice within "
                + within.toSeconds() + " s; its log ends with:\n" + logTail());
    }

    /** Ends the process abruptly, as a crash or an OOM kill would. */
    public void kill() throws InterruptedException {
        server.kill();
    }

    public String logTail() {
        return server.logTail(30);
    }

    @Override
    public void close() {
        server.stopAndDelete(dir);
    }

    /** Whether a GET of the URL answers 200 now (for readiness checks). */
    public static boolean httpOk(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(500);
        try {
            return connection.getResponseCode() == 200;
        } finally {
            connection.disconnect();
        }
    }
}
