package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.Verdict;
import dev.rollbackdeploy.kubernetes.KubernetesRunState;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.vm.VmRunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployStateTest {

    private static final DeployState STARTED = new DeployState(BuildRef.parse("team/shop#42"), "shop-vms",
            Instant.parse("2026-12-04T12:00:00Z"), BuildRef.parse("team/shop#41"), null, VmRunState.start());

    @Test
    void roundTripsThroughItsStringForm() {
        String text = STARTED.encode();

        assertThat(DeployState.decode(text)).isEqualTo(STARTED);
        assertThat(text).startsWith("{\"format\":1,").contains("\"previous\":\"team/shop#41\"");
    }

    @Test
    void anAlreadyLiveStateRoundTripsWithItsReason() {
        DeployState live = new DeployState(STARTED.build(), "shop-vms", STARTED.startedAt(), null,
                "team/shop#42 is already deployed", VmRunState.start());

        assertThat(DeployState.decode(live.encode())).isEqualTo(live);
    }

    @Test
    void aGarbledOrForeignStringIsRefusedNamingWhy() {
        assertThatThrownBy(() -> DeployState.decode("{\"format\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format must be 1, got 2");
        assertThatThrownBy(() -> DeployState.decode(STARTED.encode().substring(0, 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a deploy state");
    }

    @Test
    void aKubernetesStateWithManyLooksStaysUnderSevenKilobytesAndRoundTrips() {
        List<Evidence> looks = new ArrayList<>();
        Instant at = STARTED.startedAt();
        String query = "sum(increase(http_requests_total{namespace=\"shop\",deployment=\"shop-canary\",code=~\"5..\"}[37s]))";
        GateLooks gate = GateLooks.none();
        for (int i = 0; i < 40; i++) {
            Evidence e = new Evidence("error-ratio", at.plusSeconds(10L * i), List.of(query, query, query, query),
                    Map.of("canaryErrors", 12.0 + i, "canaryRequests", 3000.0 + i, "baselineErrors", 11.0,
                            "baselineRequests", 3100.0), "log e-value", 1.5 + i, 4.6, new Verdict.Inconclusive(
                                    "error-ratio: e-value 4.48 < 100 after " + i + " looks; canary 12/3000 vs 11/3100", true));
            gate = gate.after(dev.rollbackdeploy.gate.GateState.start(at), new GateDecision(GateDecision.Outcome.HOLD, false,
                    "look " + i, List.of(e)), false, at.plusSeconds(10L * i));
        }
        DeployState k8s = new DeployState(STARTED.build(), "shop-k8s", STARTED.startedAt(), STARTED.previous(), null, null,
                KubernetesRunState.start(), gate);

        String text = k8s.encode();

        assertThat(DeployState.decode(text)).isEqualTo(k8s);
        assertThat(k8s.gate().evidence()).hasSize(VmRunState.KEPT_EVIDENCE);
        assertThat(text.length()).as(text).isLessThan(7 * 1024);
        System.out.printf("FIGURE Kubernetes deploy state with %d looks: %d bytes%n", k8s.looks(), text.length());
    }
}
