package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.traffic.Weight;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The comparison itself is pure and knows no Kubernetes: here on objects shaped like an HAProxy
 * target's recorded split (what {@code HAProxyCluster.observe()} returns), to show it serves any
 * {@code Cluster}.
 */
class DriftReportTest {

    private static CanonicalObject split(int a, int b, int c) {
        return Manifests.object("rollback-deploy.io/v1", "HAProxyBackend", "web", Map.of("spec",
                Map.of("weights", Map.of("a", a, "b", b, "c", c))), Map.of());
    }

    @Test
    void theSameSplitIsInSync() {
        DriftReport report = DriftReport.compare("shop#41", ManifestSet.of(List.of(split(1, 1, 0))),
                new LiveState(ManifestSet.of(List.of(split(1, 1, 0))), Optional.of(Weight.NONE)));

        assertThat(report.inSync()).isTrue();
        assertThat(report.render()).isEqualTo("in sync: live matches the record of shop#41\n");
    }

    @Test
    void weightsChangedByHandAreNamedFieldByField() {
        DriftReport report = DriftReport.compare("shop#41", ManifestSet.of(List.of(split(1, 1, 0))),
                LiveState.of(ManifestSet.of(List.of(split(1, 1, 1)))));

        assertThat(report.inSync()).isFalse();
        assertThat(report.render()).contains("~ HAProxyBackend.rollback-deploy.io/shop/web").contains("spec.weights.c: 1 -> 0");
    }

    @Test
    void trafficOnACanaryOrAMissingObjectIsDrift() {
        ManifestSet recorded = ManifestSet.of(List.of(split(1, 1, 0)));

        assertThat(DriftReport.compare("shop#41", recorded, new LiveState(recorded, Optional.of(Weight.of(10)))).render())
                .contains("Traffic: the canary gets 10% (recorded: 0%)");
        assertThat(DriftReport.compare("shop#41", recorded, LiveState.of(ManifestSet.empty())).render())
                .contains("+ HAProxyBackend.rollback-deploy.io/shop/web (in target, missing live)");
    }
}
