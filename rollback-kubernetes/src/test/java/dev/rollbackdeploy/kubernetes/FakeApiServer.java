package dev.rollbackdeploy.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode with server-side apply emulated, a log of every request,
 * and injectable faults. Requests of the fake controllers (user agent {@link #CONTROLLER_AGENT}) are
 * kept out of {@link #writes()}, so tests count only what the adapter wrote.
 */
public final class FakeApiServer implements AutoCloseable {

    static final String CONTROLLER_AGENT = "fake-controller";
    /** Held so the level sticks: the mock server logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** One request as the server saw it. */
    public record Seen(String method, String path, String contentType, String userAgent) {
        boolean isWrite() {
            return MUTATING.contains(method) && !CONTROLLER_AGENT.equals(userAgent);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private record Fault(Predicate<RecordedRequest> when, Function<RecordedRequest, MockResponse> respond) {
    }

    private final ApplyingCrudDispatcher crud = new ApplyingCrudDispatcher();
    private final List<Seen> seen = new ArrayList<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final AtomicInteger stallsStarted = new AtomicInteger();
    private final KubernetesMockServer server;

    public FakeApiServer() {
        Dispatcher front = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (seen) {
                    seen.add(new Seen(request.getMethod(), request.getPath(), request.getHeader("Content-Type"),
                            request.getHeader("User-Agent")));
                }
                for (Fault fault : faults) {
                    if (fault.when().test(request) && faults.remove(fault)) {
                        return fault.respond().apply(request);
                    }
                }
                return crud.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                front, false);
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    public URI url() {
        return URI.create(server.url("/"));
    }

    public int port() {
        return server.getPort();
    }

    /** A client built the way production builds one. */
    public KubernetesClient client() {
        return KubernetesClients.forServer(url(), "test-token", null);
    }

    /** A client for the fake controllers, whose writes are not counted. */
    public KubernetesClient controllerClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url().toString()).withUserAgent(CONTROLLER_AGENT)
                .withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Answers the next request matching {@code when} with {@code response} instead of the store. */
    public void failNext(Predicate<RecordedRequest> when, MockResponse response) {
        faults.add(new Fault(when, request -> response));
    }

    /**
     * Holds the answer to the next request matching {@code when} for {@code stall}, as an API server
     * behind an overloaded etcd or a stuck load balancer does. With {@code takesEffect} the store
     * handles the request first (a write happens; only its answer is late), otherwise the request is
     * lost. The delay is a timer on the server's event loop, so no test thread waits for it.
     */
    public void stallNext(Predicate<RecordedRequest> when, Duration stall, boolean takesEffect) {
        faults.add(new Fault(when, request -> {
            stallsStarted.incrementAndGet();
            MockResponse answer = takesEffect ? crud.dispatch(request) : new MockResponse().setResponseCode(504)
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":504,"
                            + "\"reason\":\"Timeout\"}");
            return answer.setBodyDelay(stall);
        }));
    }

    /** How many requests {@link #stallNext} has held so far. */
    public int stallsStarted() {
        return stallsStarted.get();
    }

    public static Predicate<RecordedRequest> method(String method) {
        return r -> r.getMethod().equals(method) && !CONTROLLER_AGENT.equals(r.getHeader("User-Agent"));
    }

    public List<Seen> requests() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Mutating requests of the adapter under test. */
    public List<Seen> writes() {
        return requests().stream().filter(Seen::isWrite).toList();
    }

    public void clearLog() {
        synchronized (seen) {
            seen.clear();
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
