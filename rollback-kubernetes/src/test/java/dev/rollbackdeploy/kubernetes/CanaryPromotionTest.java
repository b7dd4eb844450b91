package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutStep;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A promoted canary is finished: stable on the new template and ready, traffic back on it, the
 * canary at 0 — so live equals the build's release (the restore planner finds nothing to do). Write
 * counts come from the mock server's request log; the fake controllers move Deployment status
 * whenever the shell waits.
 */
class CanaryPromotionTest {

    private static final ObjectKey STABLE = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final ObjectKey CANARY = new ObjectKey("apps", "Deployment", "shop", "web-canary");
    private static final String OLD = "registry.example/web:1.0";
    private static final String NEW = "registry.example/web:1.1";
    /** The release a promotion of NEW finishes on. */
    private static final ManifestSet PROMOTED = Manifests.canaryRelease(NEW, NEW);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    private final List<String> progress = new ArrayList<>();
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private KubernetesCluster cluster;
    private final Retrying retrying = new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { });

    @BeforeEach
    void start() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
        cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"));
        for (CanonicalObject object : Manifests.canaryRelease(OLD, NEW).objects()) {
            cluster.apply(object); // what the previous build left: stable on 1.0, the route to stable only
        }
        cluster.apply(Manifests.deployment("web-canary", NEW, 0)); // this build's canary, at 0 until the rollout
        controllers.settle();
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    /** A build's release: stable on {@code image}, the canary at 0, both Services, the route to stable only. */
    private KubernetesRollout.Waiter waiter() {
        Instant giveUp = clock.instant().plus(Duration.ofHours(1));
        return d -> {
            clock.advance(d);
            if (clock.instant().isAfter(giveUp)) {
                throw new AssertionError("did not end within an hour of simulated time: " + progress);
            }
            controllers.settle();
        };
    }

    private HttpRouteTrafficRouter httpRoute() {
        return new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);
    }

    private ReplicaRatioTrafficRouter ratio() {
        return new ReplicaRatioTrafficRouter(client, "shop", "web", "web-canary", 4, retrying);
    }

    private static RolloutSpec spec() {
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, List.of(new RolloutStep.SetWeight(Weight.of(50)),
                new RolloutStep.Gate("errors", Duration.ofMinutes(5))), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    private KubernetesRollout.Result promote(TrafficRouter router) throws Exception {
        return KubernetesRollout.canary(cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4), router,
                name -> new KubernetesRollout.Answer(GateDecision.Outcome.PROMOTE, "scripted"), clock, waiter(),
                line -> progress.add(clock.instant() + " " + line)).finishingPromotionOf(PROMOTED).drive(spec());
    }

    private CanaryPromotion promotion(TrafficRouter router) {
        return new CanaryPromotion(cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4), router, PROMOTED,
                Duration.ofMinutes(2), Duration.ofSeconds(30), clock, waiter(), progress::add);
    }

    /** Writes as "PATCH(apply) deployments/web", from the request log. */
    private List<String> writes() {
        return server.writes().stream().map(w -> w.method()
                + (w.contentType() != null && w.contentType().startsWith("application/apply-patch") ? "(apply) " : " ")
                + w.path().replaceAll("\\?.*", "").replaceAll(".*/namespaces/shop/", "")).toList();
    }

    private String image(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getImage();
    }

    private int replicas(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getReplicas();
    }

    private boolean liveEqualsTheRelease(TrafficRouter router) throws Exception {
        return new RestorePlanner().plan(PROMOTED, cluster.withTrafficRouter(router).observe(), RestoreOptions.SAFE)
                .isEmpty();
    }

    @Test
    void throughAnHttpRouteStableTakesTheNewTemplateThenTheTrafficThenTheCanaryGoesToZero() throws Exception {
        KubernetesRollout.Result result = promote(httpRoute());

        assertThat(result.state().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(result.promotion()).hasValueSatisfying(f -> assertThat(f.complete()).isTrue());
        List<String> all = writes();
        int finishStart = all.indexOf("PATCH(apply) deployments/web");
        List<String> finish = all.subList(finishStart, all.size());
        assertThat(finish).containsExactly("PATCH(apply) deployments/web", "PATCH(apply) httproutes/web",
                "PATCH deployments/web-canary");
        assertThat(result.promotion().get().writes()).isEqualTo(3);
        assertThat(image("web")).isEqualTo(NEW);
        assertThat(replicas("web")).isEqualTo(4);
        assertThat(replicas("web-canary")).isZero();
        assertThat(httpRoute().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(liveEqualsTheRelease(httpRoute())).as("live is exactly the build's release").isTrue();
        assertThat(progress).filteredOn(l -> l.contains("promotion finished")).singleElement().asString()
                .contains("3 writes");
        Instant routeBack = at("all traffic back to stable");
        assertThat(at("promotion finished")).as("the canary kept its pods for the drain delay")
                .isAfterOrEqualTo(routeBack.plusSeconds(30));
        System.out.printf("FIGURE canary promotion finish (HTTPRoute): writes = %d: %s%n", finish.size(), finish);
    }

    private Instant at(String line) {
        String found = progress.stream().filter(l -> l.contains(line)).findFirst().orElseThrow();
        return Instant.parse(found.substring(0, found.indexOf(' ')));
    }

    @Test
    void withAReplicaRatioStableComesBackAtFullSizeOnTheNewTemplateAndTheCanaryGoesToZero() throws Exception {
        KubernetesRollout.Result result = promote(ratio());

        assertThat(result.promotion()).hasValueSatisfying(f -> assertThat(f.complete()).isTrue());
        List<String> all = writes();
        List<String> finish = all.subList(all.lastIndexOf("PATCH(apply) deployments/web"), all.size());
        assertThat(finish).containsExactly("PATCH(apply) deployments/web", "PATCH deployments/web-canary");
        assertThat(image("web")).isEqualTo(NEW);
        assertThat(replicas("web")).isEqualTo(4);
        assertThat(replicas("web-canary")).isZero();
        assertThat(liveEqualsTheRelease(ratio())).isTrue();
        System.out.printf("FIGURE canary promotion finish (replica ratio): writes = %d: %s%n", finish.size(), finish);
    }

    @Test
    void theDocumentedDeployOrderEndsWithLiveEqualToTheRecordedRelease() throws Exception {
        ManifestSet release = ManifestSet.of(List.of(Manifests.deployment("web", NEW, 4), Manifests.deployment("web-canary", NEW, 0),
                Manifests.service("web"), Manifests.service("web-canary"), Manifests.route(),
                Manifests.configMap("web-settings", Map.of("mode", "new"))));
        ManifestSet allButStable = ManifestSet.of(release.objects().stream().filter(o -> !o.key().equals(STABLE)).toList());
        Restores.restore(allButStable, cluster, controllers); // the restore path: only what differs is written
        assertThat(image("web")).as("stable still serves the old template").isEqualTo(OLD);

        KubernetesRollout.Result result = KubernetesRollout.canary(cluster, new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4),
                httpRoute(), name -> new KubernetesRollout.Answer(GateDecision.Outcome.PROMOTE, "scripted"), clock, waiter(),
                progress::add).finishingPromotionOf(release).drive(spec());

        assertThat(result.promotion()).hasValueSatisfying(f -> assertThat(f.complete()).isTrue());
        assertThat(new RestorePlanner().plan(release, cluster.withTrafficRouter(httpRoute()).observe(), RestoreOptions.SAFE)
                .isEmpty()).as("live is exactly the recorded release").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        nothing done before the crash          | 0 | 3
        stable already on the new template     | 1 | 2
        traffic already back on stable         | 2 | 1
        all done: a repeated finish            | 3 | 0
        """)
    void aFinishRepeatedAfterACrashWritesOnlyWhatIsNotDoneYet(String row, int stepsDone, int expectedWrites) throws Exception {
        HttpRouteTrafficRouter router = httpRoute();
        cluster.scale(CANARY, 4);
        router.setCanaryWeight(Weight.ALL); // promoted: the canary serves everything
        controllers.settle();
        List<CanonicalObject> done = List.of(PROMOTED.get(STABLE).orElseThrow(), Manifests.route());
        for (int i = 0; i < Math.min(stepsDone, 2); i++) {
            cluster.apply(done.get(i));
        }
        if (stepsDone == 3) {
            cluster.scale(CANARY, 0);
        }
        controllers.settle();
        server.clearLog();

        CanaryPromotion.Finished finished = promotion(router).finish();
        int requestsOfFinish = server.requests().size();

        assertThat(finished.complete()).isTrue();
        assertThat(finished.writes()).isEqualTo(expectedWrites);
        assertThat(server.writes()).hasSize(expectedWrites);
        assertThat(liveEqualsTheRelease(router)).isTrue();
        if (expectedWrites == 0) {
            assertThat(finished.summary()).contains("already finished");
            System.out.printf("FIGURE canary promotion finish repeated: writes = %d, reads = %d%n", server.writes().size(),
                    requestsOfFinish);
        }
    }

    @Test
    void ifStableCannotRunTheNewTemplateTheFinishStopsWithTrafficStillOnTheWorkingCanary() throws Exception {
        HttpRouteTrafficRouter router = httpRoute();
        cluster.scale(CANARY, 4);
        router.setCanaryWeight(Weight.ALL);
        controllers.settle();
        controllers.breakImagePull("web", NEW);
        server.clearLog();

        CanaryPromotion.Finished finished = promotion(router).finish();

        assertThat(finished.complete()).isFalse();
        assertThat(finished.summary()).contains("promotion not finished").contains("ImagePullBackOff")
                .contains("traffic stays on the canary");
        assertThat(writes()).containsExactly("PATCH(apply) deployments/web");
        assertThat(router.canaryWeight()).isEqualTo(Weight.ALL);
        assertThat(replicas("web-canary")).isEqualTo(4);
    }

    @Test
    void aReleaseThatCannotBeFinishedIsRefusedBeforeTheRolloutWritesAnything() {
        KubernetesRollout.Workloads workloads = new KubernetesRollout.Workloads(STABLE, 4, CANARY, 4);
        ManifestSet withoutStable = ManifestSet.of(List.of(Manifests.service("web"), Manifests.route()));
        ManifestSet canaryAtFullSize = ManifestSet.of(List.of(Manifests.deployment("web", NEW, 4),
                Manifests.deployment("web-canary", NEW, 2)));
        CanonicalObject routeToCanary = Manifests.object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec",
                Map.of("rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80, "weight", 90),
                        Map.of("name", "web-canary", "port", 80, "weight", 10)))))), Map.of());
        ManifestSet splitRoute = ManifestSet.of(List.of(Manifests.deployment("web", NEW, 4), routeToCanary));

        for (ManifestSet release : List.of(withoutStable, canaryAtFullSize, splitRoute)) {
            KubernetesRollout rollout = KubernetesRollout.canary(cluster, workloads, httpRoute(),
                    name -> new KubernetesRollout.Answer(GateDecision.Outcome.PROMOTE, ""), clock, waiter(), progress::add)
                    .finishingPromotionOf(release);
            assertThatThrownBy(() -> rollout.drive(spec())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("the release");
        }
        assertThat(server.writes()).isEmpty();
    }
}
