package dev.rollbackdeploy.prometheus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape target serving {@code http_requests_total{version, code}} counters in the text exposition
 * format. Each counter grows at a rate the test sets, computed from the wall clock at scrape time, so
 * {@code rate()} in Prometheus sees exactly that rate. Series can be made to vanish.
 */
final class FakeExporter implements AutoCloseable {

    private record Counter(double base, double perSecond, long sinceNanos) {
        double valueAt(long nanos) {
            return base + perSecond * (nanos - sinceNanos) / 1e9;
        }
    }

    private final Map<String, Counter> counters = new TreeMap<>();
    private final HttpServer server;

    FakeExporter() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
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

    /** Requests of {@code version} per second, of which {@code errorsPerSecond} answer 500. */
    synchronized void serve(String version, double okPerSecond, double errorsPerSecond) {
        setRate(version, "200", okPerSecond);
        setRate(version, "500", errorsPerSecond);
    }

    /** The series of {@code version} are no longer exposed, as when the canary's pods are gone. */
    synchronized void vanish(String version) {
        counters.keySet().removeIf(key -> key.contains("version=\"" + version + "\""));
    }

    private void setRate(String version, String code, double perSecond) {
        String key = "version=\"" + version + "\",code=\"" + code + "\"";
        long now = System.nanoTime();
        Counter old = counters.get(key);
        counters.put(key, new Counter(old == null ? 0 : old.valueAt(now), perSecond, now));
    }

    private synchronized String exposition() {
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder()
                .append("# HELP http_requests_total Requests served, by version and status code.\n")
                .append("# TYPE http_requests_total counter\n");
        counters.forEach((labels, counter) -> out.append("http_requests_total{").append(labels).append("} ")
                .append(counter.valueAt(now)).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
