package dev.rollbackdeploy.kubernetes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an application's pods would export for a real Prometheus to scrape (no pods run beside fabric8's
 * mock server): {@code http_requests_total{namespace, deployment, code}} per workload, KubernetesGate's
 * default counter and label, growing with the wall clock at a fixed rate with a set share of 500s. Counts
 * only ever grow; a test changes a workload's error share while Prometheus scrapes to make a build bad.
 * Shared by the front door's, the CLI's and the plugin's Kubernetes tests through this module's test-jar.
 */
public final class WorkloadCounters implements AutoCloseable {

    /** Requests per second each workload serves: enough for a gate to decide within seconds. */
    private static final double RATE = 300;

    private final Map<Key, Workload> workloads = new ConcurrentHashMap<>();
    private final HttpServer server;

    private record Key(String namespace, String workload) {
    }

    /** One workload's counts before {@code sinceNanos}, and the share of 500s from then on. */
    private record Workload(long sinceNanos, double requestsBefore, double errorsBefore, double errorShare) {
        double requests(long now) {
            return requestsBefore + RATE * (now - sinceNanos) / 1e9;
        }

        double errors(long now) {
            return errorsBefore + errorShare * RATE * (now - sinceNanos) / 1e9;
        }
    }

    public WorkloadCounters() throws IOException {
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

    /** The loopback port serving {@code /metrics}. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on {@code errorShare} of the workload's requests answer 500; the counts so far are kept. */
    public void serve(String namespace, String workload, double errorShare) {
        long now = System.nanoTime();
        workloads.compute(new Key(namespace, workload), (key, old) -> old == null ? new Workload(now, 0, 0, errorShare)
                : new Workload(now, old.requests(now), old.errors(now), errorShare));
    }

    private String exposition() {
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder("# TYPE http_requests_total counter\n");
        workloads.forEach((key, w) -> {
            long errors = (long) w.errors(now);
            line(out, key, "200", (long) w.requests(now) - errors);
            line(out, key, "500", errors);
        });
        return out.toString();
    }

    private static void line(StringBuilder out, Key key, String code, long value) {
        out.append("http_requests_total{namespace=\"").append(key.namespace()).append("\",deployment=\"")
                .append(key.workload()).append("\",code=\"").append(code).append("\"} ").append(value).append('\n');
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
