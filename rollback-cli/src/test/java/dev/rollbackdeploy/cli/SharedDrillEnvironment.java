package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link DrillEnvironment} (HAProxy, Prometheus, the sample service, load) for every test of this
 * JVM that takes a {@code DrillEnvironment} parameter, instead of one per test: starting it (Prometheus
 * has to scrape HAProxy twice) cost ~6.5 s on the CI machine, nine times. Closed when all tests are done.
 *
 * <p>Each test gets it as a fresh one is: no fault injected, every server ready at its starting weight
 * (stable 100, canary 0), checked by reading the split back. The load is 200 requests/s, the most any
 * of these tests asked for.
 *
 * <p>What a test served cannot reach the next test's gate: a look counts only what was served after its
 * gate began ({@code increase(...[${elapsed}])}, elapsed in milliseconds rounded down; every sample in
 * that window was taken after the previous test's last request, so its 5xx and canary requests are in
 * all of them alike). Before elapsed was rounded down (6477bae), a first look reached up to a second
 * back, and on this shared environment a healthy canary was once rolled back for "canary 4/69 errors"
 * left by the faulty candidate of the test before.
 */
final class SharedDrillEnvironment implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedDrillEnvironment.class);
    private static final double REQUESTS_PER_SECOND = 200;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DrillEnvironment.class;
    }

    @Override
    public DrillEnvironment resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store: shared by every class, closed (DrillEnvironment is AutoCloseable) after the last test.
        DrillEnvironment env = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(DrillEnvironment.class,
                key -> start(), DrillEnvironment.class);
        asFresh(env);
        return env;
    }

    private static DrillEnvironment start() {
        try {
            return DrillEnvironment.start("v1", "v2", REQUESTS_PER_SECOND, line -> { });
        } catch (Exception e) {
            throw new IllegalStateException("could not start the drill environment: " + e.getMessage(), e);
        }
    }

    /** As {@link DrillEnvironment#start} leaves it: no faults, servers ready, stable at 100, the canary at 0. */
    private static void asFresh(DrillEnvironment env) {
        env.stableInstances().forEach(s -> s.inject(SampleService.Fault.NONE));
        env.candidate().inject(SampleService.Fault.NONE);
        String socket = env.haproxy().adminSocket().toString();
        RuntimeApiClient admin = new RuntimeApiClient(socket, Duration.ofSeconds(2));
        try {
            for (String server : DrillEnvironment.STABLE_SERVERS) {
                set(admin, server, 100);
            }
            for (String server : DrillEnvironment.CANARY_SERVERS) {
                set(admin, server, 0);
            }
            HAProxyTrafficRouter router = new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND,
                    DrillEnvironment.STABLE_SERVERS, DrillEnvironment.CANARY_SERVERS), List.of(admin));
            router.validate(); // every server ready again
            assertThat(router.canaryWeight()).as("the shared environment's split before the test").isEqualTo(Weight.NONE);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not put the shared drill environment back as it starts: " + e, e);
        }
    }

    private static void set(RuntimeApiClient admin, String server, int weight) throws Exception {
        for (String command : List.of("set server " + LocalHAProxy.BACKEND + "/" + server + " state ready",
                "set server " + LocalHAProxy.BACKEND + "/" + server + " weight " + weight)) {
            String reply = admin.send(command).strip();
            assertThat(reply).as("HAProxy's answer to '%s'", command).isEmpty();
        }
    }
}
