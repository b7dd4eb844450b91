package dev.rollbackdeploy.drill;

import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalPrometheus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the local drill runs against, all real and all on loopback: two stable instances and one
 * candidate of the sample service, HAProxy in front of them (candidate at weight 0), Prometheus
 * scraping HAProxy's exporter every second, and keep-alive load through the frontend. Closing it stops
 * everything it started, in reverse order.
 */
public final class DrillEnvironment implements AutoCloseable {

    public static final List<String> STABLE_SERVERS = List.of("stable1", "stable2");
    public static final List<String> CANARY_SERVERS = List.of("canary1");

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<SampleService> stable = new ArrayList<>();
    private SampleService candidate;
    private LocalHAProxy haproxy;
    private LocalPrometheus prometheus;
    private LoadGenerator load;

    private DrillEnvironment() {
    }

    /**
     * Starts it all, reporting each step.
     *
     * @param requestsPerSecond total load through the frontend
     */
    public static DrillEnvironment start(String stableVersion, String candidateVersion, double requestsPerSecond,
            Consumer<String> progress) throws IOException, InterruptedException {
        DrillEnvironment env = new DrillEnvironment();
        try {
            SampleService stable1 = env.keep(SampleService.start(stableVersion));
            SampleService stable2 = env.keep(SampleService.start(stableVersion));
            env.stable.add(stable1);
            env.stable.add(stable2);
            env.candidate = env.keep(SampleService.start(candidateVersion));
            progress.accept("sample service: " + stableVersion + " on :" + stable1.port() + " and :" + stable2.port()
                    + ", candidate " + candidateVersion + " on :" + env.candidate.port());
            env.haproxy = env.keep(LocalHAProxy.start(List.of(
                    new LocalHAProxy.Server(STABLE_SERVERS.get(0), stable1.port(), 100),
                    new LocalHAProxy.Server(STABLE_SERVERS.get(1), stable2.port(), 100),
                    new LocalHAProxy.Server(CANARY_SERVERS.get(0), env.candidate.port(), 0))));
            progress.accept("haproxy: frontend :" + env.haproxy.frontendPort() + ", exporter :" + env.haproxy.metricsPort()
                    + ", admin socket " + env.haproxy.adminSocket());
            env.prometheus = env.keep(LocalPrometheus.scraping(env.haproxy.metricsPort()));
            progress.accept("prometheus: " + env.prometheus.baseUrl() + " scraping haproxy every 1 s");
            env.prometheus.awaitTwoScrapes(1, Duration.ofSeconds(30));
            progress.accept("prometheus: haproxy scraped twice, metrics ready");
            env.load = env.keep(LoadGenerator.start(env.frontend(), 8, requestsPerSecond));
            progress.accept("load: 8 keep-alive clients, ~" + (int) requestsPerSecond + " requests/s through haproxy");
            return env;
        } catch (IOException | RuntimeException | InterruptedException e) {
            env.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    public URI frontend() {
        return URI.create("http://127.0.0.1:" + haproxy.frontendPort() + "/");
    }

    public List<SampleService> stableInstances() {
        return List.copyOf(stable);
    }

    public SampleService candidate() {
        return candidate;
    }

    public LocalHAProxy haproxy() {
        return haproxy;
    }

    public LocalPrometheus prometheus() {
        return prometheus;
    }

    public LoadGenerator load() {
        return load;
    }

    /** Stops everything started, newest first; never throws, so it is safe in finally blocks and hooks. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }
}
