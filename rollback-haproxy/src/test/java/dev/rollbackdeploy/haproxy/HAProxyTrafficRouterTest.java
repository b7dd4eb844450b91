package dev.rollbackdeploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against real HAProxy processes on loopback, with two stable servers and one canary. */
class HAProxyTrafficRouterTest {

    private static final HAProxyBackend APP = new HAProxyBackend(LocalHAProxy.BACKEND, List.of("stable1", "stable2"),
            List.of("canary1"));

    private final Backends backends = new Backends();
    private List<LocalHAProxy.Server> servers;
    private LocalHAProxy first;
    private LocalHAProxy second;

    @BeforeEach
    void start() throws Exception {
        servers = List.of(backends.start("stable1", 100), backends.start("stable2", 100), backends.start("canary1", 0));
        first = LocalHAProxy.start(servers);
    }

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        first.close();
        backends.close();
    }

    private static RuntimeApi api(LocalHAProxy haproxy) {
        return new RuntimeApiClient(haproxy.adminSocket().toString(), Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "{0}%")
    @ValueSource(ints = {0, 10, 25, 50, 100})
    void realRequestsSplitAsTheWeightSays(int percent) throws Exception {
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(api(first)));

        router.setCanaryWeight(Weight.of(percent));
        Map<String, Integer> seen = Backends.count(first, 200);

        int canary = seen.getOrDefault("canary1", 0);
        assertThat((double) canary).as(seen.toString())
                .isCloseTo(2.0 * percent, org.assertj.core.data.Offset.offset(Backends.tolerance(200, percent)));
        if (percent == 0) {
            assertThat(canary).isZero();
        }
        assertThat(router.canaryWeight()).isEqualTo(Weight.of(percent));
    }

    @Test
    void updatesSeveralLoadBalancersInParallelAndConfirmsEach() throws Exception {
        second = LocalHAProxy.start(servers);
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(api(first), api(second)));

        router.setCanaryWeight(Weight.of(50));

        assertThat((double) Backends.count(first, 200).get("canary1")).isCloseTo(100, org.assertj.core.data.Offset.offset(Backends.tolerance(200, 50)));
        assertThat((double) Backends.count(second, 200).get("canary1")).isCloseTo(100, org.assertj.core.data.Offset.offset(Backends.tolerance(200, 50)));
        assertThat(router.canaryWeight()).isEqualTo(Weight.of(50));
    }

    @Test
    void aMissingLoadBalancerIsNamedAndTheOthersStillConfirm() throws Exception {
        String gone = first.adminSocket().getParent().resolve("gone.sock").toString();
        HAProxyTrafficRouter checked = new HAProxyTrafficRouter(APP, List.of(api(first)));
        checked.validate();
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP,
                List.of(api(first), new RuntimeApiClient(gone, Duration.ofSeconds(1))));

        assertThatThrownBy(() -> router.setCanaryWeight(Weight.of(25))).isInstanceOf(IOException.class)
                .hasMessageContaining(gone);
        assertThat(checked.canaryWeight()).isEqualTo(Weight.NONE);
    }

    @Test
    void aPartialFailureDuringTheWriteIsReportedAsNotConfirmed() throws Exception {
        RuntimeApi flaky = new RuntimeApi() {
            @Override
            public String send(String command) throws IOException, InterruptedException {
                if (command.startsWith("set server app/canary1")) {
                    throw new IOException("connection reset");
                }
                return api(first).send(command);
            }

            @Override
            public String endpoint() {
                return "flaky";
            }
        };
        second = LocalHAProxy.start(servers);
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(flaky, api(second)));

        assertThatThrownBy(() -> router.setCanaryWeight(Weight.of(25))).isInstanceOf(IOException.class)
                .hasMessageContaining("NOT confirmed on 1 of 2").hasMessageContaining("flaky: connection reset");
        assertThat(new HAProxyTrafficRouter(APP, List.of(api(second))).canaryWeight()).isEqualTo(Weight.of(25));
    }

    @Test
    void settingTheWeightInForceAgainMakesNoWrite() throws Exception {
        CountingApi counting = new CountingApi(api(first));
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(counting));
        router.setCanaryWeight(Weight.of(25));
        long afterFirst = counting.writes();

        router.setCanaryWeight(Weight.of(25));

        assertThat(afterFirst).isEqualTo(3);
        assertThat(counting.writes()).isEqualTo(afterFirst);
    }

    @Test
    void unknownServersAreRefusedBeforeAnyWrite() throws Exception {
        CountingApi counting = new CountingApi(api(first));
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(
                new HAProxyBackend(LocalHAProxy.BACKEND, List.of("stable1"), List.of("canary9")), List.of(counting));

        assertThatThrownBy(() -> router.setCanaryWeight(Weight.of(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no server(s) [canary9]").hasMessageContaining("[canary1, stable1, stable2]");
        assertThat(counting.writes()).isZero();
    }

    @Test
    void aBackendThatCannotWeightIsRefusedBeforeAnyWrite() throws Exception {
        CountingApi counting = new CountingApi(api(first)) {
            @Override
            public synchronized String send(String command) throws IOException, InterruptedException {
                String reply = super.send(command);
                // This HAProxy balances 'app' by roundrobin; present it as 'balance source'.
                return command.equals("show stat") ? reply.replace(",roundrobin,", ",source,") : reply;
            }
        };
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(counting));

        assertThatThrownBy(() -> router.setCanaryWeight(Weight.of(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("balances by 'source'").hasMessageContaining("use 'balance roundrobin'");
        assertThat(counting.writes()).isZero();
    }

    @Test
    void afterAnHAProxyRestartReassertPutsTheWeightsBack() throws Exception {
        CountingApi switchable = new CountingApi(api(first));
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(switchable));
        router.setCanaryWeight(Weight.of(25));

        // A restart loads the configuration again: runtime weights are gone (canary back to 0).
        first.close();
        first = LocalHAProxy.start(servers);
        switchable.target = api(first);
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);

        router.reassert();

        assertThat(router.canaryWeight()).isEqualTo(Weight.of(25));
        assertThat((double) Backends.count(first, 200).get("canary1")).isCloseTo(50, org.assertj.core.data.Offset.offset(Backends.tolerance(200, 25)));
    }

    @Test
    void drainStopsNewRequestsToAServerOnEveryLoadBalancerAndReadyBringsThemBack() throws Exception {
        second = LocalHAProxy.start(servers);
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(APP, List.of(api(first), api(second)));
        router.setCanaryWeight(Weight.of(50));

        router.setAdminState(List.of("canary1"), HAProxyTrafficRouter.AdminState.DRAIN);

        assertThat(Backends.count(first, 100)).doesNotContainKey("canary1");
        assertThat(Backends.count(second, 100)).doesNotContainKey("canary1");
        assertThat(router.canaryWeight()).as("draining keeps the weight for later").isEqualTo(Weight.of(50));
        assertThatThrownBy(() -> new HAProxyTrafficRouter(APP, List.of(api(second))).validate())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has servers in drain or maintenance: [canary1 (admin state 0x8)]")
                .hasMessageContaining("state ready");

        router.setAdminState(List.of("canary1"), HAProxyTrafficRouter.AdminState.READY);

        assertThat(Backends.count(first, 200).getOrDefault("canary1", 0)).isPositive();
        new HAProxyTrafficRouter(APP, List.of(api(first), api(second))).validate();
        assertThatThrownBy(() -> router.setAdminState(List.of("nope"), HAProxyTrafficRouter.AdminState.DRAIN))
                .hasMessage("servers [nope] are not in backend app [stable1, stable2, canary1]");
    }
}
