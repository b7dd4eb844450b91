package dev.rollbackdeploy.drill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One version of the drill's sample service on loopback. It answers every request with its version
 * in the {@code X-Served-By} header; a fault can be switched on at any time to make a share of
 * requests fail with 500 and/or answer late — the "bad candidate" the gate must catch.
 */
public final class SampleService implements AutoCloseable {

    public static final String SERVED_BY = "X-Served-By";

    private final String version;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong served = new AtomicLong();
    private volatile Fault fault = Fault.NONE;

    /** A share of requests answered with 500, and extra latency on every request. */
    public record Fault(double errorRate, Duration extraLatency) {
        public static final Fault NONE = new Fault(0, Duration.ZERO);

        public Fault {
            if (!(errorRate >= 0 && errorRate <= 1)) {
                throw new IllegalArgumentException("fault errorRate must be 0..1, got " + errorRate);
            }
            if (extraLatency.isNegative()) {
                throw new IllegalArgumentException("fault extraLatency must not be negative, got " + extraLatency);
            }
        }
    }

    private SampleService(String version, HttpServer server, ExecutorService workers) {
        this.version = version;
        this.server = server;
        this.workers = workers;
    }

    /** Starts the version on 127.0.0.1 on a free port. */
    public static SampleService start(String version) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "sample-" + version);
            thread.setDaemon(true);
            return thread;
        });
        SampleService service = new SampleService(version, server, workers);
        server.createContext("/", service::handle);
        server.setExecutor(workers);
        server.start();
        return service;
    }

    public void inject(Fault newFault) {
        this.fault = newFault;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String version() {
        return version;
    }

    public long served() {
        return served.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Fault now = fault;
            if (!now.extraLatency().isZero()) {
                Thread.sleep(now.extraLatency().toMillis());
            }
            boolean fail = now.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < now.errorRate();
            byte[] body = (fail ? "injected fault in " + version : "hello from " + version).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(SERVED_BY, version);
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            served.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
