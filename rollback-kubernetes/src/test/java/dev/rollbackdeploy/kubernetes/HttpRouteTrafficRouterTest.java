package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpRouteTrafficRouterTest {

    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private HttpRouteTrafficRouter router;

    @BeforeEach
    void start() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42")).apply(Manifests.object(
                "gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of(
                        "parentRefs", List.of(Map.of("name", "gateway")),
                        "rules", List.of(
                                Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80))),
                                Map.of("matches", List.of(Map.of("path", Map.of("value", "/admin"))),
                                        "backendRefs", List.of(Map.of("name", "admin", "port", 80)))))),
                Map.of()));
        router = new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary",
                new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { }));
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> backends(int rule) {
        GenericKubernetesResource route = controllerClient.genericKubernetesResources("gateway.networking.k8s.io/v1",
                "HTTPRoute").inNamespace("shop").withName("web").get();
        Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
        return (List<Map<String, Object>>) rules.get(rule).get("backendRefs");
    }

    @Test
    void aRouteWithOnlyStableSendsNothingToTheCanaryAndZeroWritesNothing() throws Exception {
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);

        router.setCanaryWeight(Weight.NONE);

        assertThat(server.writes()).isEmpty();
    }

    @Test
    void settingAWeightAddsTheCanaryBesideStableAndLeavesOtherRulesAlone() throws Exception {
        router.setCanaryWeight(Weight.of(10));

        assertThat(router.canaryWeight()).isEqualTo(Weight.of(10));
        assertThat(backends(0)).containsExactly(Map.of("name", "web", "port", 80, "weight", 90),
                Map.of("name", "web-canary", "port", 80, "weight", 10));
        assertThat(backends(1)).containsExactly(Map.of("name", "admin", "port", 80));
        assertThat(server.writes()).singleElement().satisfies(w -> {
            assertThat(w.contentType()).startsWith("application/json-patch+json");
            assertThat(w.path()).contains("fieldManager=rollback-deploy");
        });
    }

    @Test
    void settingTheWeightInForceWritesNothing() throws Exception {
        router.setCanaryWeight(Weight.of(25));
        server.clearLog();

        router.setCanaryWeight(Weight.of(25));

        assertThat(server.writes()).isEmpty();
    }

    @Test
    void backToZeroKeepsTheCanaryBackendAtWeightZero() throws Exception {
        router.setCanaryWeight(Weight.of(50));

        router.setCanaryWeight(Weight.NONE);

        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(backends(0)).containsExactly(Map.of("name", "web", "port", 80, "weight", 100),
                Map.of("name", "web-canary", "port", 80, "weight", 0));
    }

    @Test
    void aConcurrentEditMakesTheRouterReadAgainInsteadOfOverwriting() throws Exception {
        server.failNext(FakeApiServer.method("PATCH"), new MockResponse().setResponseCode(409).setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":409,\"reason\":\"Conflict\"}"));

        router.setCanaryWeight(Weight.of(20));

        assertThat(server.writes()).hasSize(2);
        assertThat(router.canaryWeight()).isEqualTo(Weight.of(20));
    }

    @Test
    void aWeightThatDoesNotReadBackIsNotReportedAsSet() {
        AtomicBoolean patched = new AtomicBoolean();
        server.failNext(r -> r.getMethod().equals("PATCH") && patched.getAndSet(true)
                || r.getMethod().equals("GET") && patched.get(), new MockResponse().setResponseCode(200).setBody(
                        "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"web\","
                                + "\"namespace\":\"shop\"},\"spec\":{\"rules\":[{\"backendRefs\":[{\"name\":\"web\",\"weight\":1}]}]}}"));

        assertThatThrownBy(() -> router.setCanaryWeight(Weight.of(30)))
                .isInstanceOf(IOException.class)
                .hasMessage("HTTPRoute shop/web sends 0% to the canary after setting 30%: something else changes its weights");
    }

    @Test
    void aRestoreTakesTrafficOffTheCanaryFirstThenPutsTheRecordedRouteBack() throws Exception {
        KubernetesCluster cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#43"))
                .withTrafficRouter(router);
        ManifestSet recorded = cluster.observe().objects();
        router.setCanaryWeight(Weight.of(10));
        server.clearLog();

        Plan plan = Restores.restore(recorded, cluster, router, new FakeControllers(controllerClient, "shop"));

        assertThat(plan.actions()).extracting(Action::describe).containsExactly(
                "set canary traffic to 0% (stable 100%)",
                "apply HTTPRoute.gateway.networking.k8s.io/shop/web (" + recorded.objects().get(0).hash() + ")");
        assertThat(cluster.observe().canaryWeight()).contains(Weight.NONE);
        assertThat(cluster.observe().objects()).isEqualTo(recorded);
        server.clearLog();
        assertThat(Restores.restore(recorded, cluster, router, null).isEmpty()).isTrue();
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void aMissingRouteSendsNothingToTheCanaryButCannotBeSet() throws Exception {
        HttpRouteTrafficRouter missing = new HttpRouteTrafficRouter(client, "shop", "nope", "web", "web-canary",
                Retrying.standard());

        assertThat(missing.canaryWeight()).isEqualTo(Weight.NONE);
        assertThatThrownBy(() -> missing.setCanaryWeight(Weight.of(5))).isInstanceOf(IOException.class)
                .hasMessage("HTTPRoute shop/nope does not exist");
    }

    @Test
    void aRouteWithoutTheStableServiceIsRefused() {
        HttpRouteTrafficRouter wrong = new HttpRouteTrafficRouter(client, "shop", "web", "shop-v2", "web-canary",
                Retrying.standard());

        assertThatThrownBy(wrong::canaryWeight).isInstanceOf(IOException.class)
                .hasMessage("HTTPRoute shop/web has no rule with a backendRef to the stable Service 'shop-v2'");
        assertThatThrownBy(() -> new HttpRouteTrafficRouter(client, "shop", "web", "web", "web", Retrying.standard()))
                .hasMessage("stable and canary Services must differ, got 'web' and 'web'");
    }
}
