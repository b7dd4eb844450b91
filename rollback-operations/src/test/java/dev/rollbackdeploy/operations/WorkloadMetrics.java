package dev.rollbackdeploy.operations;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an application's pods export for Prometheus: {@code http_requests_total{namespace, deployment, code}}
 * per workload (KubernetesGate's default counter and label), growing with the wall clock at a fixed
 * rate with a set share of 500s, which a test changes to make a build good or bad.
 */
final class WorkloadMetrics implements AutoCloseable {

    /** Requests per second per workload: enough for the gate to decide within seconds. */
    private static final double RATE = 300;

    private final String namespace;
    private final Map<String, double[]> workloads = new ConcurrentHashMap<>();
    private final HttpServer server;

    WorkloadMetrics(String namespace) throws IOException {
        this.namespace = namespace;
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

    /** From now on {@code errorShare} of the workload's requests answer 500; the counts so far are kept. */
    synchronized void serve(String workload, double errorShare) {
        double now = System.nanoTime() / 1e9;
        double[] old = workloads.get(workload);
        double requests = old == null ? 0 : old[1] + RATE * (now - old[0]);
        double errors = old == null ? 0 : old[2] + old[3] * RATE * (now - old[0]);
        workloads.put(workload, new double[] {now, requests, errors, errorShare});
    }

    private synchronized String exposition() {
        double now = System.nanoTime() / 1e9;
        StringBuilder out = new StringBuilder("# TYPE http_requests_total counter\n");
        workloads.forEach((name, w) -> {
            long requests = (long) (w[1] + RATE * (now - w[0]));
            long errors = (long) (w[2] + w[3] * RATE * (now - w[0]));
            line(out, name, "200", requests - errors);
            line(out, name, "500", errors);
        });
        return out.toString();
    }

    private void line(StringBuilder out, String workload, String code, long value) {
        out.append("http_requests_total{namespace=\"").append(namespace).append("\",deployment=\"").append(workload)
                .append("\",code=\"").append(code).append("\"} ").append(value).append('\n');
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
