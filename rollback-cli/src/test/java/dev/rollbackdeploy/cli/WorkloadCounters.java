package dev.rollbackdeploy.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the application's pods would export for Prometheus to scrape: a request counter per workload,
 * {@code http_requests_total{namespace, deployment, code}} (KubernetesGate's default metric and label),
 * growing at a fixed rate with a set share of 500s. Counts follow the wall clock at each scrape, so they
 * only ever grow, and a workload's error share can be changed while Prometheus scrapes (a bad build).
 */
final class WorkloadCounters implements AutoCloseable {

    /** Requests per second each workload serves (enough for the gate to decide within seconds). */
    private static final double RATE = 200;

    private final Map<Key, Workload> workloads = new ConcurrentHashMap<>();
    private final HttpServer server;

    private record Key(String namespace, String workload) {
    }

    /** One workload's counters: requests and 500s served before {@code since}, and the share of 500s from then on. */
    private record Workload(long sinceNanos, double requestsBefore, double errorsBefore, double errorShare) {
        double requests(long now) {
            return requestsBefore + RATE * (now - sinceNanos) / 1e9;
        }

        double errors(long now) {
            return errorsBefore + errorShare * RATE * (now - sinceNanos) / 1e9;
        }
    }

    WorkloadCounters() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/metrics", exchange -> {
            byte[] body = exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** From now on, {@code errorShare} of the workload's requests answer 500 (the counts so far are kept). */
    void serve(String namespace, String workload, double errorShare) {
        long now = System.nanoTime();
        workloads.compute(new Key(namespace, workload), (name, old) -> old == null ? new Workload(now, 0, 0, errorShare)
                : new Workload(now, old.requests(now), old.errors(now), errorShare));
    }

    private String exposition() {
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder("# TYPE http_requests_total counter\n");
        workloads.forEach((key, w) -> {
            long errors = (long) w.errors(now);
            long ok = (long) w.requests(now) - errors;
            line(out, key, "200", ok);
            line(out, key, "500", errors);
        });
        return out.toString();
    }

    private static void line(StringBuilder out, Key key, String code, long value) {
        out.append("http_requests_total{namespace=\"").append(key.namespace()).append("\",deployment=\"").append(key.workload())
                .append("\",code=\"").append(code).append("\"} ").append(value).append('\n');
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
