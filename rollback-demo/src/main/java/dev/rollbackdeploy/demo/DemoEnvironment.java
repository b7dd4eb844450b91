package dev.rollbackdeploy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalServer;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's target, all real and on loopback, as one long-running process: the sample service (two
 * stable servers on v1, one canary server on v2), HAProxy in front, Prometheus scraping it every second,
 * keep-alive load, and a control endpoint that makes the canary servers answer errors (the demo's bad
 * release). Its endpoints go into an env file once everything is ready. On SIGTERM (Ctrl-C, or demo.sh's
 * clean-up) it puts all traffic on stable first, then stops everything it started.
 */
final class DemoEnvironment {

    static final String STABLE_VERSION = "v1";
    static final String CANARY_VERSION = "v2";
    static final double REQUESTS_PER_SECOND = 100;

    private DemoEnvironment() {
    }

    /** Starts everything, writes {@code envFile}, then serves until the JVM is told to stop. */
    static void run(Path envFile, PrintStream out) throws IOException, InterruptedException {
        DrillEnvironment env = DrillEnvironment.start(STABLE_VERSION, CANARY_VERSION, REQUESTS_PER_SECOND,
                line -> out.println("environment: " + line));
        HttpServer control;
        try {
            control = control(env.candidate(), out);
        } catch (IOException | RuntimeException e) {
            env.close();
            throw e;
        }
        HAProxyTrafficRouter router = router(env.haproxy().adminSocket().toString(), LocalHAProxy.BACKEND);
        // Runs inside rollback-local's one shutdown hook, before it stops any server process.
        LocalServer.beforeStopOnShutdown(() -> {
            stableFirst(router, out);
            control.stop(0);
            env.close();
            out.println("environment: stopped (load, prometheus, haproxy, sample service)");
        });
        EnvFile.write(envFile, endpoints(env, control));
        out.println("environment: ready, endpoints in " + envFile);
        Thread.currentThread().join();
    }

    /** The environment's HAProxy backend, by its admin socket (in this process or from the env file). */
    static HAProxyTrafficRouter router(String adminSocket, String backend) {
        return new HAProxyTrafficRouter(new HAProxyBackend(backend, DrillEnvironment.STABLE_SERVERS,
                DrillEnvironment.CANARY_SERVERS), List.of(new RuntimeApiClient(adminSocket, Duration.ofSeconds(2))));
    }

    private static void stableFirst(HAProxyTrafficRouter router, PrintStream out) {
        try {
            router.setCanaryWeight(Weight.NONE);
            out.println("environment: all traffic on stable (canary weight " + router.canaryWeight() + "), confirmed");
        } catch (IOException e) {
            out.println("environment: WARNING could not put traffic on stable before stopping: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code POST /canary/fault?errorRate=0.5} — a share of the canary servers' answers become 500s. */
    private static HttpServer control(SampleService canary, PrintStream out) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/canary/fault", exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    answer(exchange, 405, "POST /canary/fault?errorRate=0..1\n");
                    return;
                }
                String query = exchange.getRequestURI().getRawQuery();
                String rate = query != null && query.startsWith("errorRate=") ? query.substring("errorRate=".length()) : "";
                try {
                    double errorRate = Double.parseDouble(rate);
                    canary.inject(new SampleService.Fault(errorRate, Duration.ZERO));
                    out.println("environment: the canary servers now answer " + Math.round(errorRate * 100) + "% of requests with 500");
                    answer(exchange, 200, "errorRate=" + errorRate + "\n");
                } catch (IllegalArgumentException e) {
                    answer(exchange, 400, "errorRate must be a number 0..1, got '" + rate + "'\n");
                }
            }
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
        }
    }

    private static Map<String, String> endpoints(DrillEnvironment env, HttpServer control) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("DEMO_PROMETHEUS_URL", env.prometheus().baseUrl());
        values.put("DEMO_HAPROXY_SOCKET", env.haproxy().adminSocket().toString());
        values.put("DEMO_HAPROXY_BACKEND", LocalHAProxy.BACKEND);
        values.put("DEMO_STABLE_SERVERS", String.join(", ", DrillEnvironment.STABLE_SERVERS));
        values.put("DEMO_CANARY_SERVERS", String.join(", ", DrillEnvironment.CANARY_SERVERS));
        values.put("DEMO_STABLE_VERSION", STABLE_VERSION);
        values.put("DEMO_CANARY_VERSION", CANARY_VERSION);
        values.put("DEMO_FRONTEND", env.frontend().toString());
        values.put("DEMO_CONTROL", "http://127.0.0.1:" + control.getAddress().getPort() + "/");
        values.put("DEMO_PID", String.valueOf(ProcessHandle.current().pid()));
        // haproxy and prometheus: what demo.sh and the CI test check are gone after the clean-up
        values.put("DEMO_SERVER_PIDS", ProcessHandle.current().children().map(p -> String.valueOf(p.pid()))
                .collect(Collectors.joining(" ")));
        values.put("DEMO_PORTS", List.of(env.haproxy().frontendPort(), env.haproxy().metricsPort(),
                URI.create(env.prometheus().baseUrl()).getPort(), control.getAddress().getPort()).stream()
                .map(String::valueOf).collect(Collectors.joining(" ")));
        return values;
    }
}
