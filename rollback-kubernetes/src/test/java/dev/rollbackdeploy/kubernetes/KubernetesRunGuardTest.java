package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutStep;
import dev.rollbackdeploy.traffic.TrafficGuard;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link KubernetesRun} with a {@link TrafficGuard} that replaces moving traffic unless the new version
 * failed (as a kill switch in instead-of-traffic mode does): asked before an abort's write back to
 * stable, never before a promotion's; a canary the router still sends requests to keeps its pods.
 */
class KubernetesRunGuardTest {

    private static final ObjectKey STABLE = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final ObjectKey CANARY = new ObjectKey("apps", "Deployment", "shop", "web-canary");
    private static final String NEW = "registry.example/web:1.1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    private final List<String> progress = new ArrayList<>();
    private final List<Boolean> asked = new ArrayList<>();
    private final TrafficGuard instead = newVersionFailed -> {
        asked.add(newVersionFailed);
        return newVersionFailed;
    };
    private final Retrying retrying = new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { });
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private KubernetesCluster cluster;

    @BeforeEach
    void start() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
        cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"));
        for (CanonicalObject object : Manifests.canaryRelease("registry.example/web:1.0", NEW).objects()) {
            cluster.apply(object);
        }
        controllers.settle();
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private static RolloutSpec spec() {
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, List.of(new RolloutStep.SetWeight(Weight.of(25)),
                new RolloutStep.Gate("errors", Duration.ofMinutes(5))), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    private KubernetesRunState run(TrafficRouter router, GateDecision.Outcome answer) throws Exception {
        KubernetesRun run = KubernetesRun.canary(spec(), cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4),
                router, name -> new KubernetesRollout.Answer(answer, "scripted"), progress::add)
                .finishingPromotionOf(Manifests.canaryRelease(NEW, NEW)).guardedBy(instead);
        KubernetesRunState state = KubernetesRunState.start();
        for (int round = 0; round < 1_000; round++) {
            KubernetesRun.Round r = run.advance(state, clock.instant());
            state = r.state();
            if (r.finished()) {
                return state;
            }
            clock.advance(Duration.between(clock.instant(), r.callAgainAt()));
            controllers.settle();
        }
        throw new AssertionError("no end after 1,000 rounds: " + progress);
    }

    private int canaryReplicas() {
        return controllerClient.apps().deployments().inNamespace("shop").withName("web-canary").get().getSpec().getReplicas();
    }

    @Test
    void aReplicaRatioCanaryKeepsItsPodsWhenTheGuardReplacesMovingTraffic() throws Exception {
        ReplicaRatioTrafficRouter router = new ReplicaRatioTrafficRouter(client, "shop", "web", "web-canary", 4, retrying);

        KubernetesRunState end = run(router, GateDecision.Outcome.ROLLBACK);

        assertThat(end.rollout().phase()).isEqualTo(Phase.ABORTED);
        assertThat(asked).containsExactly(false);
        // 25 % as near as replicas go: 1 canary pod beside 4 stable ones, as the step left it.
        assertThat(router.canaryWeight()).as(String.join("\n", progress)).isEqualTo(Weight.of(20));
        assertThat(canaryReplicas()).isEqualTo(1);
        assertThat(progress).anyMatch(l -> l.contains("keeps its pods: it still carries 20%"));
    }

    @Test
    void aPromotionNeverAsksTheGuardThoughItsFinishPutsTheCanaryAtZero() throws Exception {
        HttpRouteTrafficRouter router = new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);

        KubernetesRunState end = run(router, GateDecision.Outcome.PROMOTE);

        assertThat(end.rollout().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(asked).isEmpty();
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(canaryReplicas()).isZero();
    }

    @Test
    void aCanaryWhosePodsFailMovesTrafficBackWhateverTheGuard() throws Exception {
        HttpRouteTrafficRouter router = new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);
        // The canary comes up, takes its 25 %, then crash-loops before the gate looks.
        KubernetesRun run = KubernetesRun.canary(spec(), cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4),
                router, name -> new KubernetesRollout.Answer(GateDecision.Outcome.HOLD, "looking"), progress::add)
                .withGateInterval(Duration.ofSeconds(10)).guardedBy(instead);
        KubernetesRunState state = KubernetesRunState.start();
        boolean broken = false;
        for (int round = 0; round < 1_000; round++) {
            KubernetesRun.Round r = run.advance(state, clock.instant());
            state = r.state();
            if (r.finished()) {
                break;
            }
            if (!broken && router.canaryWeight().equals(Weight.of(25))) {
                controllers.crashLoop("web-canary");
                broken = true;
            }
            clock.advance(Duration.between(clock.instant(), r.callAgainAt()));
            controllers.settle();
        }

        assertThat(state.rollout().phase()).as(String.join("\n", progress)).isEqualTo(Phase.FAILED);
        assertThat(asked).containsExactly(true);
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
    }
}
