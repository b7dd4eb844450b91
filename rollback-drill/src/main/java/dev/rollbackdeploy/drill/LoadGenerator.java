package dev.rollbackdeploy.drill;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Keep-alive clients sending paced requests through the load balancer, counting what came back:
 * answers per version, 5xx per version (errors the bad version served itself), and transport
 * failures (refused, reset, timed out: the failures a traffic switch could cause, which must be 0).
 */
public final class LoadGenerator implements AutoCloseable {

    /** One request: when it was sent (System.nanoTime) and which version answered (null: none). */
    public record Sample(long sentAtNanos, String servedBy, int status) {
    }

    private final List<Thread> clients = new ArrayList<>();
    private final Map<String, LongAdder> ok = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> serverErrors = new ConcurrentHashMap<>();
    private final LongAdder transportFailures = new LongAdder();
    private final ConcurrentLinkedQueue<String> failureReasons = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Sample> recorded = new ConcurrentLinkedQueue<>();
    private final AtomicLong recordingFrom = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean running = true;

    private LoadGenerator() {
    }

    /**
     * Starts {@code clients} threads, each with its own keep-alive connection, together sending about
     * {@code requestsPerSecond}.
     */
    public static LoadGenerator start(URI target, int clients, double requestsPerSecond) {
        if (clients < 1 || !(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("load needs clients >= 1 and requestsPerSecond > 0, got " + clients
                    + " and " + requestsPerSecond);
        }
        LoadGenerator load = new LoadGenerator();
        long pauseNanos = (long) (clients * 1e9 / requestsPerSecond);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> load.run(target, pauseNanos), "load-" + i);
            thread.setDaemon(true);
            load.clients.add(thread);
            thread.start();
        }
        return load;
    }

    private void run(URI target, long pauseNanos) {
        // One client per thread: HTTP/1.1 keeps its connection open between requests.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).GET().build();
        while (running) {
            long sent = System.nanoTime();
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                String version = response.headers().firstValue(SampleService.SERVED_BY).orElse("(load balancer)");
                (response.statusCode() >= 500 ? serverErrors : ok).computeIfAbsent(version, v -> new LongAdder()).increment();
                record(sent, version, response.statusCode());
            } catch (IOException e) {
                transportFailures.increment();
                failureReasons.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                record(sent, null, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LockSupport.parkNanos(Math.max(0, pauseNanos - (System.nanoTime() - sent)));
        }
    }

    private void record(long sent, String version, int status) {
        if (sent >= recordingFrom.get()) {
            recorded.add(new Sample(sent, version, status));
        }
    }

    /** Starts keeping every request sent from now on (for switch timing), dropping earlier ones. */
    public void recordFromNow() {
        recorded.clear();
        recordingFrom.set(System.nanoTime());
    }

    public List<Sample> recorded() {
        return List.copyOf(recorded);
    }

    public long ok(String version) {
        LongAdder count = ok.get(version);
        return count == null ? 0 : count.sum();
    }

    public long serverErrors(String version) {
        LongAdder count = serverErrors.get(version);
        return count == null ? 0 : count.sum();
    }

    public long transportFailures() {
        return transportFailures.sum();
    }

    public List<String> failureReasons() {
        return List.copyOf(failureReasons);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : clients) {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
