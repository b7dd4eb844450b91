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
 * <p>What a test served must not reach the next test's gate. Its queries count back from each look over
 * the time since the gate began, in whole seconds rounded up ({@code increase(...[${elapsed}])}), so a
 * first look reaches up to a second before the gate began, and 5xx or canary requests of the previous
 * test's last second would be counted as the new test's (seen once: a healthy canary rolled back for
 * "canary 4/69 errors" left by the faulty candidate of the test before). So when HAProxy counted any
 * 5xx, or any request to the canary, since the previous test began, the test starts only {@link #QUIET}
 * after the faults were off and the canary at 0 (in a fresh environment the canary has never served);
 * a test after one that left no such traces starts at once.
 */
final class SharedDrillEnvironment implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedDrillEnvironment.class);
    private static final double REQUESTS_PER_SECOND = 200;
    /** Twice the furthest a gate's first look reaches back before the gate began (under a second). */
    private static final Duration QUIET = Duration.ofSeconds(2);

    /** HAProxy's {@link #traces} when the previous test began. */
    private static final class TracesSeen {
        long count;

        TracesSeen(long count) {
            this.count = count;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DrillEnvironment.class;
    }

    @Override
    public DrillEnvironment resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store: shared by every class, closed (DrillEnvironment is AutoCloseable) after the last test.
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        DrillEnvironment env = store.getOrComputeIfAbsent(DrillEnvironment.class, key -> start(), DrillEnvironment.class);
        asFresh(env, store);
        return env;
    }

    private static DrillEnvironment start() {
        try {
            return DrillEnvironment.start("v1", "v2", REQUESTS_PER_SECOND, line -> { });
        } catch (Exception e) {
            throw new IllegalStateException("could not start the drill environment: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link DrillEnvironment#start} leaves it: no faults, servers ready, stable at 100, the canary at 0,
     * and nothing the previous test served within a gate's reach.
     */
    private static void asFresh(DrillEnvironment env, ExtensionContext.Store store) {
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
            long traces = traces(admin); // the canary takes nothing and nothing fails from here on
            TracesSeen seen = store.getOrComputeIfAbsent(TracesSeen.class, key -> new TracesSeen(traces), TracesSeen.class);
            if (traces != seen.count) {
                seen.count = traces;
                Thread.sleep(QUIET.toMillis()); // nothing to wait on: the reach is the gate's, in wall-clock time
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

    /**
     * The 5xx answered by the backend's servers plus the requests the canary took, so far, from
     * {@code show stat} (HAProxy's live counters: no scrape lag).
     */
    private static long traces(RuntimeApiClient admin) throws Exception {
        List<String> lines = admin.send("show stat").lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("HAProxy's 'show stat'").isNotEmpty();
        assertThat(lines.get(0)).as("the CSV header of 'show stat'").startsWith("# ");
        List<String> header = List.of(lines.get(0).substring(2).split(",", -1));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int fiveXx = header.indexOf("hrsp_5xx");
        int sessions = header.indexOf("stot");
        assertThat(List.of(proxy, server, fiveXx, sessions)).as("columns pxname, svname, hrsp_5xx, stot in %s", header)
                .allMatch(i -> i >= 0);
        long sum = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields[proxy].equals(LocalHAProxy.BACKEND) && !fields[server].equals("BACKEND")) {
                sum += number(fields[fiveXx]);
                if (DrillEnvironment.CANARY_SERVERS.contains(fields[server])) {
                    sum += number(fields[sessions]);
                }
            }
        }
        return sum;
    }

    private static long number(String field) {
        return field.isEmpty() ? 0 : Long.parseLong(field);
    }

    private static void set(RuntimeApiClient admin, String server, int weight) throws Exception {
        for (String command : List.of("set server " + LocalHAProxy.BACKEND + "/" + server + " state ready",
                "set server " + LocalHAProxy.BACKEND + "/" + server + " weight " + weight)) {
            String reply = admin.send(command).strip();
            assertThat(reply).as("HAProxy's answer to '%s'", command).isEmpty();
        }
    }
}
