package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An API server that accepts a request and then says nothing for 30 s (etcd overloaded, a load
 * balancer holding a dead backend's connection). The client gives up after its request timeout,
 * {@link Retrying} backs off and asks again, and the restore or abort finishes long before the
 * stalled answer would have come. The stall is a timer on the server, so the tests never wait for it.
 */
class StallFaultTest {

    private static final Duration STALL = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Far below the stall, far above one timeout plus backoff: a client that waits out the stall fails. */
    private static final Duration WELL_BEFORE_THE_STALL_ENDS = Duration.ofSeconds(10);

    private final List<Duration> waits = new ArrayList<>();
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private Retrying retrying;

    @BeforeEach
    void start() {
        server = new FakeApiServer();
        client = KubernetesClients.forServer(server.url(), "test-token", null, REQUEST_TIMEOUT);
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
        retrying = new Retrying(6, Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.5, waits::add);
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private KubernetesCluster cluster() {
        return new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"), retrying, 3);
    }

    private static ManifestSet release() {
        return ManifestSet.of(List.of(Manifests.deployment("web", "registry.example/web:1.0", 2), Manifests.service("web"),
                Manifests.configMap("web-settings", Map.of("mode", "fast"))));
    }

    private static Predicate<RecordedRequest> adapter(String method, String pathPrefix) {
        return FakeApiServer.method(method).and(r -> r.getPath().startsWith(pathPrefix));
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static Duration timed(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static Stream<Arguments> stallsMidRestore() {
        String deployment = "/apis/apps/v1/namespaces/shop/deployments/web";
        return Stream.of(
                Arguments.of("Deployment apply written, answer stalled", "PATCH", deployment + "?", true, 3 + 1),
                Arguments.of("Deployment apply lost in the stall", "PATCH", deployment + "?", false, 3 + 1),
                Arguments.of("readiness read stalled", "GET", deployment, true, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stallsMidRestore")
    void aThirtySecondStallMidRestoreTimesOutIsRetriedAndTheRestoreConvergesWithoutDuplicates(String row, String method,
            String pathPrefix, boolean takesEffect, int expectedWrites) throws Exception {
        KubernetesCluster cluster = cluster();
        server.stallNext(adapter(method, pathPrefix), STALL, takesEffect);

        Duration took = timed(() -> Restores.restore(release(), cluster, controllers));

        assertThat(server.stallsStarted()).as("the stall happened").isEqualTo(1);
        assertThat(took).as("restore time with a %s s stall and a %s s request timeout", STALL.toSeconds(),
                REQUEST_TIMEOUT.toSeconds()).isLessThan(WELL_BEFORE_THE_STALL_ENDS);
        assertThat(waits).as("backed off after the timed-out attempt (a loaded machine may time out once more)").isNotEmpty().startsWith(Duration.ofMillis(75)).hasSizeLessThanOrEqualTo(3);
        assertThat(server.writes()).hasSize(expectedWrites);
        assertThat(cluster.observe().objects()).isEqualTo(release());
        assertThat(controllerClient.configMaps().inNamespace("shop").list().getItems()).hasSize(1);
        assertThat(controllerClient.services().inNamespace("shop").list().getItems()).hasSize(1);
        assertThat(controllerClient.apps().deployments().inNamespace("shop").list().getItems()).hasSize(1);
        server.clearLog();
        assertThat(Restores.restore(release(), cluster, controllers).isEmpty()).as("a second restore has nothing to do")
                .isTrue();
        assertThat(server.writes()).isEmpty();
    }

    private HttpRouteTrafficRouter routeAtTenPercent() throws Exception {
        cluster().apply(Manifests.object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of(
                "parentRefs", List.of(Map.of("name", "gateway")),
                "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80)))))), Map.of()));
        HttpRouteTrafficRouter router = new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);
        router.setCanaryWeight(Weight.of(10));
        return router;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> routeBackends() {
        GenericKubernetesResource route = controllerClient.genericKubernetesResources("gateway.networking.k8s.io/v1",
                "HTTPRoute").inNamespace("shop").withName("web").get();
        Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
        return (List<Map<String, Object>>) rules.get(0).get("backendRefs");
    }

    @ParameterizedTest(name = "weights write {0}")
    @MethodSource("writtenOrLost")
    void anAbortWhoseRouteWriteStallsStillEndsWithAllTrafficOnStable(String row, boolean takesEffect) throws Exception {
        HttpRouteTrafficRouter router = routeAtTenPercent();
        server.clearLog();
        server.stallNext(adapter("PATCH", "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web"), STALL,
                takesEffect);

        Duration took = timed(() -> abort(router));

        assertThat(server.stallsStarted()).as("the stall happened").isEqualTo(1);
        assertThat(took).as("abort time with a %s s stall", STALL.toSeconds()).isLessThan(WELL_BEFORE_THE_STALL_ENDS);
        assertThat(waits).as("backed off after the timed-out write (a loaded machine may time out once more)").isNotEmpty().startsWith(Duration.ofMillis(75)).hasSizeLessThanOrEqualTo(3);
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(routeBackends()).containsExactly(Map.of("name", "web", "port", 80, "weight", 100),
                Map.of("name", "web-canary", "port", 80, "weight", 0));
    }

    static Stream<Arguments> writtenOrLost() {
        return Stream.of(Arguments.of("written, answer stalled", true), Arguments.of("lost in the stall", false));
    }

    @ParameterizedTest(name = "canary scale {0}")
    @MethodSource("writtenOrLost")
    void anAbortWhoseReplicaWriteStallsStillEndsWithAllPodsOnStable(String row, boolean takesEffect) throws Exception {
        KubernetesCluster cluster = cluster();
        cluster.apply(Manifests.deployment("web", "registry.example/web:1.0", 3));
        cluster.apply(Manifests.deployment("web-canary", "registry.example/web:1.1", 1));
        ReplicaRatioTrafficRouter router = new ReplicaRatioTrafficRouter(client, "shop", "web", "web-canary", 4, retrying);
        assertThat(router.canaryWeight()).isEqualTo(Weight.of(25));
        server.stallNext(adapter("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web-canary"), STALL, takesEffect);

        Duration took = timed(() -> abort(router));

        assertThat(server.stallsStarted()).as("the stall happened").isEqualTo(1);
        assertThat(took).as("abort time with a %s s stall", STALL.toSeconds()).isLessThan(WELL_BEFORE_THE_STALL_ENDS);
        assertThat(waits).as("backed off after the timed-out write (a loaded machine may time out once more)").isNotEmpty().startsWith(Duration.ofMillis(75)).hasSizeLessThanOrEqualTo(3);
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(controllerClient.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas())
                .isEqualTo(4);
        assertThat(controllerClient.apps().deployments().inNamespace("shop").withName("web-canary").get().getSpec()
                .getReplicas()).isZero();
    }

    /** What an abort does to traffic, whichever shell runs it: everything back on stable. */
    private static void abort(TrafficRouter router) throws Exception {
        router.setCanaryWeight(Weight.NONE);
    }
}
