package dev.rollbackdeploy.plan;

import static dev.rollbackdeploy.plan.Objects.configMap;
import static dev.rollbackdeploy.plan.Objects.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {

    private static final String V1 = "ghcr.io/acme/shop:v1@sha256:" + "1".repeat(64);
    private static final String V2 = "ghcr.io/acme/shop:v2@sha256:" + "2".repeat(64);
    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    private final RestorePlanner planner = new RestorePlanner();

    @Test
    void trafficWriteIsTheFirstWriteOfARestore() throws Exception {
        InMemoryTarget target = new InMemoryTarget(set(deployment("web", V2, 3, "web")), Optional.of(Weight.of(50)));

        target.execute(planner.plan(set(deployment("web", V1, 3, "web"), configMap("c", Map.of("a", "1"))),
                target.observe(), RestoreOptions.SAFE));

        assertThat(target.writeLog()).containsExactly("weight 0%", "apply ConfigMap/shop/c", "apply Deployment.apps/shop/web");
    }

    @Test
    void waitsForReadinessWithoutBlockingAndResumesFromPersistedProgress() throws Exception {
        InMemoryTarget target = new InMemoryTarget(set(deployment("web", V2, 3, "web")), Optional.empty());
        target.slowToBecomeReady(WEB, 2);
        Plan plan = planner.plan(set(deployment("web", V1, 3, "web")), target.observe(), RestoreOptions.SAFE);
        PlanExecutor executor = new PlanExecutor(target, target, Duration.ofSeconds(30));

        PlanExecutor.Outcome applied = executor.step(plan, PlanExecutor.Progress.START, T0);
        PlanExecutor.Outcome notYet = executor.step(plan, applied.progress(), T0);
        // A controller restart: only the two plain fields of Progress survive.
        PlanExecutor.Progress restored = new PlanExecutor.Progress(notYet.progress().next(), notYet.progress().waitingSince());
        PlanExecutor.Outcome stillNot = executor.step(plan, restored, T0.plusSeconds(1));
        PlanExecutor.Outcome ready = executor.step(plan, stillNot.progress(), T0.plusSeconds(2));

        assertThat(applied.wrote()).isTrue();
        assertThat(notYet.callAgainIn()).isEqualTo(Duration.ofSeconds(1));
        assertThat(stillNot.progress().waitingSince()).isEqualTo(T0);
        assertThat(ready.progress().isDone(plan)).isTrue();
        assertThat(target.writes()).isEqualTo(1);
    }

    @Test
    void failsWithThePodsReasonWhenAWorkloadCannotBecomeReady() throws Exception {
        InMemoryTarget target = new InMemoryTarget(set(deployment("web", V2, 3, "web")), Optional.empty());
        target.breakWorkloads("ImagePullBackOff: manifest unknown");
        Plan plan = planner.plan(set(deployment("web", V1, 3, "web")), target.observe(), RestoreOptions.SAFE);

        assertThatThrownBy(() -> target.execute(plan)).isInstanceOf(Cluster.WorkloadFailedException.class)
                .hasMessage("Deployment.apps/shop/web cannot become ready: ImagePullBackOff: manifest unknown");
    }

    @Test
    void failsWhenReadinessTakesLongerThanTheTimeout() throws Exception {
        InMemoryTarget target = new InMemoryTarget(set(deployment("web", V2, 3, "web")), Optional.empty());
        target.slowToBecomeReady(WEB, 1000);
        Plan plan = planner.plan(set(deployment("web", V1, 3, "web")), target.observe(), RestoreOptions.SAFE);

        assertThatThrownBy(() -> target.execute(plan)).isInstanceOf(Cluster.WorkloadFailedException.class)
                .hasMessageContaining("not ready after 30 s");
    }

    @Test
    void refusesToRunAPlanWithRefusals() {
        InMemoryTarget target = new InMemoryTarget(set(deployment("web", V1, 3, "other")), Optional.empty());
        Plan plan = planner.plan(set(deployment("web", V1, 3, "web")), target.observe(), RestoreOptions.SAFE);

        assertThatThrownBy(() -> target.execute(plan)).isInstanceOf(PlanRefusedException.class);
        assertThat(target.writes()).isZero();
    }

    private static ManifestSet set(CanonicalObject... objects) {
        return ManifestSet.of(List.of(objects));
    }
}
