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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes rollout shell on the mock API server, with fake controllers moving Deployment status
 * whenever the shell waits. Write counts come from the server's request log.
 */
class KubernetesRolloutTest {

    private static final ObjectKey STABLE = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final ObjectKey CANARY = new ObjectKey("apps", "Deployment", "shop", "web-canary");
    private static final ObjectKey BLUE = new ObjectKey("apps", "Deployment", "shop", "web-blue");
    private static final ObjectKey GREEN = new ObjectKey("apps", "Deployment", "shop", "web-green");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    private final List<String> progress = new ArrayList<>();
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private KubernetesCluster cluster;
    private Retrying retrying;

    @BeforeEach
    void start() {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
        cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"));
        retrying = new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { });
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private KubernetesRollout.Waiter waiter() {
        Instant giveUp = clock.instant().plus(Duration.ofHours(1));
        return d -> {
            clock.advance(d);
            if (clock.instant().isAfter(giveUp)) {
                throw new AssertionError("the rollout did not end within an hour of simulated time: " + progress);
            }
            controllers.settle();
        };
    }

    private void canaryTarget() throws Exception {
        cluster.apply(Manifests.deployment("web", "registry.example/web:1.0", 4));
        cluster.apply(Manifests.deployment("web-canary", "registry.example/web:1.1", 0));
        cluster.apply(Manifests.service("web"));
        cluster.apply(Manifests.service("web-canary"));
        cluster.apply(Manifests.object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of(
                "parentRefs", List.of(Map.of("name", "gateway")),
                "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80)))))), Map.of()));
        controllers.settle();
        server.clearLog();
    }

    private HttpRouteTrafficRouter route() {
        return new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);
    }

    private KubernetesRollout canary(KubernetesRollout.Gate gate) {
        return KubernetesRollout.canary(cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4), route(), gate, clock,
                waiter(), line -> progress.add(clock.instant() + " " + line));
    }

    private static RolloutSpec canarySpec() {
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, List.of(new RolloutStep.SetWeight(Weight.of(25)),
                new RolloutStep.Gate("errors", Duration.ofMinutes(5)), new RolloutStep.SetWeight(Weight.of(50)),
                new RolloutStep.Gate("errors", Duration.ofMinutes(5))), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    /** A gate answering from a script, one answer per look; runs {@code before} each look. */
    private static KubernetesRollout.Gate scripted(Runnable before, GateDecision.Outcome... answers) {
        Deque<GateDecision.Outcome> left = new ArrayDeque<>(List.of(answers));
        return name -> {
            before.run();
            return new KubernetesRollout.Answer(left.isEmpty() ? GateDecision.Outcome.HOLD : left.poll(), "scripted");
        };
    }

    private List<String> writePaths() {
        return server.writes().stream().map(s -> s.method() + " " + s.path().replaceAll("\\?.*", "")).toList();
    }

    private int replicas(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getReplicas();
    }

    @Test
    void aCanaryThatPassesEveryGateIsPromotedWithOneRouteWritePerStep() throws Exception {
        canaryTarget();
        List<Integer> writesAtGate = new ArrayList<>();
        KubernetesRollout rollout = canary(scripted(() -> writesAtGate.add(server.writes().size()),
                GateDecision.Outcome.PROMOTE, GateDecision.Outcome.PROMOTE));

        assertThat(rollout.drive(canarySpec()).state().phase()).isEqualTo(Phase.PROMOTED);

        assertThat(route().canaryWeight()).isEqualTo(Weight.ALL);
        List<String> writes = writePaths();
        assertThat(writes.get(0)).as("the canary is scaled up before it gets traffic")
                .isEqualTo("PATCH /apis/apps/v1/namespaces/shop/deployments/web-canary");
        assertThat(writes.subList(1, writes.size())).as(writes.toString())
                .allMatch(w -> w.equals("PATCH /apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web"));
        assertThat(writesAtGate).containsExactly(2, 3);
        assertThat(writes).hasSize(4);
        System.out.printf("FIGURE canary: writes to reach the first step (scale canary + route) = %d, per later step = %d%n",
                writesAtGate.get(0), writesAtGate.get(1) - writesAtGate.get(0));
    }

    @Test
    void anAbortPutsAllTrafficOnStableInOneWriteFirstAndScalesTheCanaryDownOnlyAfterTheDelay() throws Exception {
        canaryTarget();
        int[] mark = new int[1];
        Instant[] abortAt = new Instant[1];
        KubernetesRollout rollout = canary(scripted(() -> {
            mark[0] = server.writes().size();
            abortAt[0] = clock.instant();
        }, GateDecision.Outcome.ROLLBACK));

        assertThat(rollout.drive(canarySpec()).state().phase()).isEqualTo(Phase.ABORTED);

        List<String> abort = writePaths().subList(mark[0], server.writes().size());
        assertThat(abort).containsExactly("PATCH /apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web",
                "PATCH /apis/apps/v1/namespaces/shop/deployments/web-canary");
        assertThat(route().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(replicas("web-canary")).isZero();
        assertThat(progress).filteredOn(l -> l.contains("scaled Deployment.apps/shop/web-canary to 0")).singleElement()
                .satisfies(l -> assertThat(Instant.parse(l.substring(0, l.indexOf(' '))))
                        .isAfterOrEqualTo(abortAt[0].plusSeconds(30)));
        System.out.printf("FIGURE canary abort: writes = %d, first = %s%n", abort.size(), abort.get(0));
    }

    @Test
    void anAbortWorksWhileTheCanaryPodsAreBroken() throws Exception {
        canaryTarget();
        KubernetesRollout rollout = canary(scripted(
                () -> controllers.breakImagePull("web-canary", "registry.example/web:1.1"), GateDecision.Outcome.ROLLBACK));

        assertThat(rollout.drive(canarySpec()).state().phase()).isEqualTo(Phase.ABORTED);

        assertThat(route().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(replicas("web-canary")).isZero();
        assertThat(replicas("web")).isEqualTo(4);
    }

    @Test
    void aCanaryWhoseImageCannotBePulledFailsWithThePodsReasonBeforeAnyTrafficReachesIt() throws Exception {
        canaryTarget();
        controllers.breakImagePull("web-canary", "registry.example/web:1.1");
        KubernetesRollout rollout = canary(scripted(() -> { }, GateDecision.Outcome.PROMOTE));

        assertThat(rollout.drive(canarySpec()).state()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.FAILED);
            assertThat(s.abortReason()).contains("ImagePullBackOff").contains("registry.example/web:1.1");
        });
        assertThat(route().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(writePaths()).as("the route never sent the canary anything").noneMatch(w -> w.contains("httproutes"));
        assertThat(replicas("web-canary")).isZero();
    }

    private static RolloutSpec pausedSpec() {
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, List.of(new RolloutStep.SetWeight(Weight.of(25)),
                new RolloutStep.Pause(Duration.ofSeconds(20)), new RolloutStep.SetWeight(Weight.of(50)),
                new RolloutStep.PauseUntilPromoted()), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    @Test
    void pausesWaitTheirDurationThenForAPersonWhosePromoteContinues() throws Exception {
        canaryTarget();
        Instant started = clock.instant();
        List<Instant> promotedAt = new ArrayList<>();
        KubernetesRollout rollout = canary(scripted(() -> { })).withCommands(() -> {
            if (clock.instant().isBefore(started.plusSeconds(60))) {
                return java.util.Optional.empty();
            }
            promotedAt.add(clock.instant());
            return java.util.Optional.of(dev.rollbackdeploy.rollout.Observation.Command.PROMOTE);
        });

        assertThat(rollout.drive(pausedSpec()).state().phase()).isEqualTo(Phase.PROMOTED);

        assertThat(route().canaryWeight()).isEqualTo(Weight.ALL);
        assertThat(promotedAt).singleElement().satisfies(t -> assertThat(t).isAfterOrEqualTo(started.plusSeconds(60)));
        assertThat(progress).anyMatch(l -> l.contains("paused until a person promotes or aborts"));
        assertThat(progress.stream().filter(l -> l.contains("canary weight 50% confirmed")).findFirst().orElseThrow())
                .as("the timed pause held 50%% back 20 s").satisfies(l -> assertThat(Instant.parse(l.substring(0, l.indexOf(' '))))
                        .isAfterOrEqualTo(started.plusSeconds(20)));
    }

    private LeaseLock lease(String build) {
        return new LeaseLock(client, "shop", "web", BuildRef.parse(build), Duration.ofSeconds(15), Duration.ofSeconds(1),
                clock, retrying, d -> clock.advance(d));
    }

    @Test
    void theLeaseIsRenewedThroughALongPauseSoNoSecondMutatorGetsIn() throws Exception {
        canaryTarget();
        LeaseLock mine = lease("team/shop#42");
        mine.acquire(Duration.ZERO);
        Instant started = clock.instant();
        KubernetesRollout rollout = canary(scripted(() -> { })).withCommands(() -> clock.instant().isBefore(started.plusSeconds(90))
                ? java.util.Optional.empty() : java.util.Optional.of(dev.rollbackdeploy.rollout.Observation.Command.PROMOTE))
                .holding(mine, Duration.ofSeconds(5));

        assertThat(rollout.drive(pausedSpec()).state().phase()).isEqualTo(Phase.PROMOTED);

        assertThat(Duration.between(started, clock.instant())).as("far longer than the 15 s lease").isGreaterThan(Duration.ofSeconds(60));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lease("team/shop#43").acquire(Duration.ZERO))
                .isInstanceOf(TargetLockedException.class).hasMessageContaining("locked by team/shop#42");
    }

    @Test
    void aRolloutThatLostItsLeaseStopsWithoutAnotherWrite() throws Exception {
        canaryTarget();
        LeaseLock mine = lease("team/shop#42");
        mine.acquire(Duration.ZERO);
        int[] writesWhenLost = new int[1];
        KubernetesRollout rollout = canary(scripted(() -> { })).withCommands(() -> {
            if (writesWhenLost[0] == 0 && clock.instant().isAfter(Instant.parse("2026-11-23T03:00:10Z"))) {
                clock.advance(Duration.ofSeconds(20)); // this process stalls past the lease; another build takes over
                try {
                    lease("team/shop#43").acquire(Duration.ZERO);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                writesWhenLost[0] = server.writes().size();
            }
            return java.util.Optional.empty();
        }).holding(mine, Duration.ofSeconds(5));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rollout.drive(pausedSpec()))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("lost the lock of the target")
                .hasMessageContaining("team/shop#43");
        assertThat(writePaths().subList(writesWhenLost[0], server.writes().size()))
                .as("only the other build's lease write").allMatch(w -> w.contains("/leases"));
    }

    @Test
    void aCanaryThatStartsCrashLoopingDuringAPauseIsRolledBackAtOnceWithThePodsReason() throws Exception {
        canaryTarget();
        Instant started = clock.instant();
        KubernetesRollout rollout = canary(scripted(() -> { })).withCommands(() -> {
            if (clock.instant().equals(started.plusSeconds(5))) {
                controllers.crashLoop("web-canary");
            }
            return java.util.Optional.empty();
        });

        assertThat(rollout.drive(pausedSpec()).state()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.FAILED);
            assertThat(s.abortReason()).contains("CrashLoopBackOff after 5 restarts");
            assertThat(s.firstAbortAt()).as("caught within a poll, not at the end of the 20 s pause")
                    .isBefore(started.plusSeconds(10));
        });
        assertThat(route().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(replicas("web-canary")).isZero();
    }

    @Test
    void aPersonsAbortDuringAPauseRollsBackWithTrafficFirst() throws Exception {
        canaryTarget();
        KubernetesRollout rollout = canary(scripted(() -> { }))
                .withCommands(() -> java.util.Optional.of(dev.rollbackdeploy.rollout.Observation.Command.ABORT));

        assertThat(rollout.drive(pausedSpec()).state()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.ABORTED);
            assertThat(s.abortReason()).isEqualTo("aborted by a person");
        });
        assertThat(route().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(replicas("web-canary")).isZero();
    }

    @Test
    void aCanaryPastItsProgressDeadlineFailsWithTheControllersReason() throws Exception {
        canaryTarget();
        controllers.exceedDeadline("web-canary");
        KubernetesRollout rollout = canary(scripted(() -> { }, GateDecision.Outcome.PROMOTE));

        assertThat(rollout.drive(canarySpec()).state()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.FAILED);
            assertThat(s.abortReason()).contains("ProgressDeadlineExceeded");
        });
        assertThat(route().canaryWeight()).isEqualTo(Weight.NONE);
    }

    @Test
    void withoutAMeshAnAbortScalesStableBackUpAndWaitsForItBeforeTheCanaryLosesItsPods() throws Exception {
        canaryTarget();
        ReplicaRatioTrafficRouter ratio = new ReplicaRatioTrafficRouter(client, "shop", "web", "web-canary", 4, retrying);
        int[] mark = new int[1];
        List<String> readyWhenCanaryDropped = new ArrayList<>();
        KubernetesRollout rollout = KubernetesRollout.canary(cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4),
                new dev.rollbackdeploy.traffic.TrafficRouter() {
                    @Override
                    public void setCanaryWeight(Weight weight) throws java.io.IOException, InterruptedException {
                        if (weight.equals(Weight.NONE)) {
                            readyWhenCanaryDropped.add(replicas("web") + " stable, ready="
                                    + controllerClient.apps().deployments().inNamespace("shop").withName("web").get()
                                            .getStatus().getReadyReplicas());
                        }
                        ratio.setCanaryWeight(weight);
                    }

                    @Override
                    public Weight canaryWeight() throws java.io.IOException, InterruptedException {
                        return ratio.canaryWeight();
                    }
                }, scripted(() -> mark[0] = server.writes().size(), GateDecision.Outcome.ROLLBACK), clock, waiter(),
                progress::add);

        assertThat(rollout.drive(canarySpec()).state().phase()).isEqualTo(Phase.ABORTED);

        List<String> abort = writePaths().subList(mark[0], server.writes().size());
        assertThat(abort.get(0)).isEqualTo("PATCH /apis/apps/v1/namespaces/shop/deployments/web");
        assertThat(abort).as("the canary is not scaled to 0 twice").filteredOn(w -> w.endsWith("/web-canary")).hasSize(1);
        assertThat(readyWhenCanaryDropped).containsExactly("4 stable, ready=4");
        assertThat(replicas("web")).isEqualTo(4);
        assertThat(replicas("web-canary")).isZero();
    }

    private void blueGreenTarget() throws Exception {
        cluster.apply(slotDeployment("web-blue", "blue", "registry.example/web:1.0", 3));
        cluster.apply(slotDeployment("web-green", "green", "registry.example/web:1.1", 0));
        cluster.apply(slotService("web", "blue"));
        cluster.apply(slotService("web-preview", "green"));
        controllers.settle();
        server.clearLog();
    }

    private static CanonicalObject slotDeployment(String name, String slot, String image, int replicas) {
        Map<String, String> labels = Map.of("app", "web", "slot", slot);
        return Manifests.object("apps/v1", "Deployment", name, Map.of("spec", Map.of("replicas", replicas,
                "selector", Map.of("matchLabels", labels),
                "template", Map.of("metadata", Map.of("labels", labels),
                        "spec", Map.of("containers", List.of(Map.of("name", "web", "image", image)))))), Map.of());
    }

    private static CanonicalObject slotService(String name, String slot) {
        return Manifests.object("v1", "Service", name, Map.of("spec", Map.of("selector", Map.of("app", "web", "slot", slot),
                "ports", List.of(Map.of("port", 80, "targetPort", 8080)))), Map.of());
    }

    private ServiceSwitch services() {
        return new ServiceSwitch(client, "shop", "web", "web-preview", retrying);
    }

    private KubernetesRollout blueGreen(KubernetesRollout.Gate afterSwitch) {
        return KubernetesRollout.blueGreen(cluster, new KubernetesRollout.Workloads(BLUE, 3, GREEN, 3), services(), null,
                afterSwitch, Duration.ofSeconds(5), clock, waiter(), line -> progress.add(clock.instant() + " " + line));
    }

    private long serviceWrites() {
        return writePaths().stream().filter(w -> w.equals("PATCH /api/v1/namespaces/shop/services/web")).count();
    }

    @Test
    void blueGreenPromotesInOneWriteKeepsBlueWarmThroughTheWindowThenScalesItDown() throws Exception {
        blueGreenTarget();
        List<Integer> blueDuringWindow = new ArrayList<>();
        KubernetesRollout rollout = blueGreen(scripted(() -> blueDuringWindow.add(replicas("web-blue")),
                GateDecision.Outcome.HOLD, GateDecision.Outcome.PROMOTE));

        assertThat(rollout.drive(RolloutSpec.blueGreen(List.of())).state().phase()).isEqualTo(Phase.PROMOTED);

        assertThat(services().activeSelector()).containsEntry("slot", "green");
        assertThat(serviceWrites()).as("promotion is one selector write").isEqualTo(1);
        assertThat(blueDuringWindow).containsOnly(3);
        assertThat(replicas("web-blue")).as("scaled down after the window").isZero();
        assertThat(replicas("web-green")).isEqualTo(3);
        System.out.printf("FIGURE blue-green: Service writes per switch = %d%n", serviceWrites());
    }

    @Test
    void blueGreenRollbackInsideTheWindowIsOneWriteBackToTheStillWarmPreviousVersion() throws Exception {
        blueGreenTarget();
        KubernetesRollout rollout = blueGreen(scripted(() -> { }, GateDecision.Outcome.ROLLBACK));

        assertThat(rollout.drive(RolloutSpec.blueGreen(List.of())).state().phase()).isEqualTo(Phase.ROLLED_BACK);

        assertThat(services().activeSelector()).containsEntry("slot", "blue");
        assertThat(serviceWrites()).as("one switch, one switch back").isEqualTo(2);
        assertThat(replicas("web-blue")).as("the previous version was never scaled down").isEqualTo(3);
    }

    @Test
    void aPreviewThatStartsFailingAfterAPassingLookIsSwitchedBackInsideTheWarmWindow() throws Exception {
        // Issue 9 item 3: the warm window used to stop looking after the first pass.
        blueGreenTarget();
        KubernetesRollout rollout = blueGreen(scripted(() -> { }, GateDecision.Outcome.PROMOTE, GateDecision.Outcome.ROLLBACK));

        assertThat(rollout.drive(RolloutSpec.blueGreen(List.of())).state().phase()).isEqualTo(Phase.ROLLED_BACK);

        assertThat(services().activeSelector()).containsEntry("slot", "blue");
        assertThat(serviceWrites()).as("one switch, one switch back").isEqualTo(2);
        assertThat(replicas("web-blue")).isEqualTo(3);
    }

    @Test
    void aPersonsRollbackInsideTheWarmWindowIsOneWriteBack() throws Exception {
        blueGreenTarget();
        Instant started = clock.instant();
        KubernetesRollout rollout = blueGreen(scripted(() -> { }, GateDecision.Outcome.PROMOTE)).withCommands(() ->
                clock.instant().isAfter(started.plusSeconds(15))
                        ? java.util.Optional.of(dev.rollbackdeploy.rollout.Observation.Command.ABORT) : java.util.Optional.empty());

        assertThat(rollout.drive(RolloutSpec.blueGreen(List.of())).state().phase()).isEqualTo(Phase.ROLLED_BACK);

        assertThat(services().activeSelector()).containsEntry("slot", "blue");
        assertThat(serviceWrites()).isEqualTo(2);
        assertThat(replicas("web-blue")).isEqualTo(3);
    }

    @Test
    void aPreviewThatStartsCrashLoopingInsideTheWarmWindowIsSwitchedBackInOneWrite() throws Exception {
        blueGreenTarget();
        KubernetesRollout rollout = blueGreen(scripted(() -> controllers.crashLoop("web-green"), GateDecision.Outcome.HOLD,
                GateDecision.Outcome.HOLD, GateDecision.Outcome.HOLD));

        assertThat(rollout.drive(RolloutSpec.blueGreen(List.of())).state()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.ROLLED_BACK);
            assertThat(s.abortReason()).contains("CrashLoopBackOff");
        });
        assertThat(services().activeSelector()).containsEntry("slot", "blue");
        assertThat(serviceWrites()).isEqualTo(2);
        assertThat(replicas("web-blue")).isEqualTo(3);
    }

    @Test
    void blueGreenNeverKeepsTheSwitchOnMissingEvidence() throws Exception {
        blueGreenTarget();
        KubernetesRollout rollout = blueGreen(scripted(() -> { }));

        assertThat(rollout.drive(RolloutSpec.blueGreen(List.of())).state()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.ROLLED_BACK);
            assertThat(s.abortReason()).contains("missing evidence is never taken as healthy");
        });
        assertThat(services().activeSelector()).containsEntry("slot", "blue");
    }

    @Test
    void aBrokenPreviewAbortsBeforeAnythingIsSwitched() throws Exception {
        blueGreenTarget();
        controllers.breakImagePull("web-green", "registry.example/web:1.1");
        Supplier<KubernetesRollout> rollout = () -> blueGreen(scripted(() -> { }, GateDecision.Outcome.PROMOTE));

        assertThat(rollout.get().drive(RolloutSpec.blueGreen(List.of())).state().phase()).isEqualTo(Phase.FAILED);

        assertThat(serviceWrites()).isZero();
        assertThat(services().activeSelector()).containsEntry("slot", "blue");
        assertThat(replicas("web-green")).isZero();
    }
}
