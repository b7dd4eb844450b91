package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutStep;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesRun} round by round, as a Jenkins step drives it: after every round the state goes
 * through its string form into a FRESH run object (a controller restart between every two rounds), and
 * the clock only moves between rounds. Writes are counted from the mock server's request log.
 */
class KubernetesRunTest {

    private static final ObjectKey STABLE = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final ObjectKey CANARY = new ObjectKey("apps", "Deployment", "shop", "web-canary");
    private static final String OLD = "registry.example/web:1.0";
    private static final String NEW = "registry.example/web:1.1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    private final List<String> progress = new ArrayList<>();
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
        for (CanonicalObject object : Manifests.canaryRelease(OLD, NEW).objects()) {
            cluster.apply(object);
        }
        cluster.apply(Manifests.deployment("web-canary", NEW, 0));
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
                new RolloutStep.Gate("errors", Duration.ofMinutes(5)), new RolloutStep.SetWeight(Weight.of(50)),
                new RolloutStep.Gate("errors", Duration.ofMinutes(5))), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    private KubernetesRun fresh(KubernetesRollout.Gate gate) {
        return KubernetesRun.canary(spec(), cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4),
                new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying), gate,
                line -> progress.add(clock.instant() + " " + line)).withGateInterval(Duration.ofSeconds(10))
                .finishingPromotionOf(Manifests.canaryRelease(NEW, NEW));
    }

    /** Rounds until finished, each in a fresh object from the previous state's string; the largest string seen. */
    private KubernetesRunState runRoundByRound(Function<Integer, KubernetesRollout.Gate> gateForRound, int[] largest)
            throws Exception {
        String saved = KubernetesRunState.start().encode();
        for (int round = 0; round < 10_000; round++) {
            KubernetesRun.Round r = fresh(gateForRound.apply(round)).advance(KubernetesRunState.decode(saved), clock.instant());
            saved = r.state().encode();
            assertThat(KubernetesRunState.decode(saved)).as("the string holds the whole state").isEqualTo(r.state());
            largest[0] = Math.max(largest[0], saved.length());
            if (r.finished()) {
                return r.state();
            }
            assertThat(r.callAgainAt()).as("a round that waits names a later instant").isAfter(clock.instant());
            clock.advance(Duration.between(clock.instant(), r.callAgainAt()));
            controllers.settle();
        }
        throw new AssertionError("no end after 10,000 rounds: " + progress);
    }

    private List<String> writes() {
        return server.writes().stream().map(w -> w.method() + " " + w.path().replaceAll("\\?.*", "")
                .replaceAll(".*/namespaces/shop/", "")).toList();
    }

    @Test
    void aCanaryResumedInAFreshObjectAfterEveryRoundMakesEachWriteOnceAndFinishesThePromotion() throws Exception {
        int[] largest = new int[1];
        KubernetesRollout.Gate pass = name -> new KubernetesRollout.Answer(GateDecision.Outcome.PROMOTE, "scripted");

        KubernetesRunState end = runRoundByRound(round -> pass, largest);

        assertThat(end.rollout().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(end.promoted()).isNotNull().satisfies(p -> assertThat(p.complete()).isTrue());
        assertThat(writes()).as("canary up, 25%, 50%, 100%, then stable onto the new template, route back, canary to 0")
                .containsExactly("PATCH deployments/web-canary", "PATCH httproutes/web", "PATCH httproutes/web",
                        "PATCH httproutes/web", "PATCH deployments/web", "PATCH httproutes/web",
                        "PATCH deployments/web-canary");
        assertThat(largest[0]).as("the state string stays far under 7 KB").isLessThan(2_000);
        System.out.printf("FIGURE Kubernetes run state: largest %d bytes; writes round by round = %d%n", largest[0],
                server.writes().size());
    }

    @Test
    void anAbortRoundByRoundPutsTrafficOnStableFirstAndScalesTheCanaryDownAfterTheDelay() throws Exception {
        int[] largest = new int[1];
        int[] mark = {-1};
        Instant[] abortAt = new Instant[1];
        KubernetesRollout.Gate fail = name -> {
            mark[0] = server.writes().size();
            abortAt[0] = clock.instant();
            return new KubernetesRollout.Answer(GateDecision.Outcome.ROLLBACK, "5xx 40x stable's");
        };

        KubernetesRunState end = runRoundByRound(round -> fail, largest);

        assertThat(end.rollout().phase()).isEqualTo(Phase.ABORTED);
        assertThat(writes().subList(mark[0], writes().size())).containsExactly("PATCH httproutes/web",
                "PATCH deployments/web-canary");
        assertThat(progress).filteredOn(l -> l.contains("scaled Deployment.apps/shop/web-canary to 0")).singleElement()
                .satisfies(l -> assertThat(Instant.parse(l.substring(0, l.indexOf(' '))))
                        .isAfterOrEqualTo(abortAt[0].plusSeconds(30)));
        assertThat(controllerClient.apps().deployments().inNamespace("shop").withName("web-canary").get().getSpec()
                .getReplicas()).isZero();
    }

    @Test
    void aRoundNeverWaitsForReadinessItSaysCallAgainInASecond() throws Exception {
        KubernetesRun run = fresh(name -> new KubernetesRollout.Answer(GateDecision.Outcome.PROMOTE, ""));

        KubernetesRun.Round first = run.advance(KubernetesRunState.start(), clock.instant());

        assertThat(first.callAgainAt()).isEqualTo(clock.instant().plusSeconds(1));
        assertThat(writes()).containsExactly("PATCH deployments/web-canary");
        assertThat(first.state().pending()).as("the scale-up is done, the weight waits for ready pods").isNotEmpty();
        assertThat(first.state().readyBy()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));

        KubernetesRun.Round again = fresh(name -> null).advance(KubernetesRunState.decode(first.state().encode()),
                clock.instant().plusSeconds(1));

        assertThat(writes()).as("not ready yet: polled, not scaled again").hasSize(1);
        assertThat(again.callAgainAt()).isEqualTo(clock.instant().plusSeconds(2));
    }
}
