package dev.rollbackdeploy.jenkins.steps;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny {@code /metrics} endpoint for a real Prometheus to scrape: what an application's pods would export,
 * {@code http_requests_total{namespace, deployment, code}} per Deployment (the Kubernetes gate's default
 * counter and label), growing with the wall clock at 300 requests a second with a set share of 500s.
 */
public final class WorkloadCounter implements AutoCloseable {

    private static final double RATE = 300;

    private final String namespace;
    /** Per workload: {since (s), requests then, errors then, error share from then on}. */
    private final Map<String, double[]> workloads = new ConcurrentHashMap<>();
    private final HttpServer server;

    public WorkloadCounter(String namespace) throws IOException {
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

    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on {@code errorShare} of the workload's requests fail; the counts so far are kept. */
    public synchronized void serve(String workload, double errorShare) {
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
            out.append(line(name, "200", requests - errors)).append(line(name, "500", errors));
        });
        return out.toString();
    }

    private String line(String workload, String code, long value) {
        return "http_requests_total{namespace=\"" + namespace + "\",deployment=\"" + workload + "\",code=\"" + code + "\"} "
                + value + "\n";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
