package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesClusterTest {

    private static final BuildRef BUILD = BuildRef.parse("team/shop#42");

    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private KubernetesCluster cluster;

    @BeforeEach
    void start() {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, Manifests.NAMESPACE);
        cluster = new KubernetesCluster(client, Manifests.NAMESPACE, BUILD);
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private static ManifestSet release(String image, String setting) {
        return ManifestSet.of(List.of(
                Manifests.deployment("web", image, 2),
                Manifests.service("web"),
                Manifests.configMap("web-settings", Map.of("mode", setting)),
                Manifests.secret("web-db", Map.of("password", "c2VjcmV0"))));
    }

    @Test
    void observesAppliedObjectsAsTheirRecordThoughTheServerAddedDefaults() throws Exception {
        ManifestSet target = release("registry.example/web:1.0", "fast");
        for (CanonicalObject object : target.objects()) {
            cluster.apply(object);
        }

        Deployment live = controllerClient.apps().deployments().inNamespace("shop").withName("web").get();
        assertThat(live.getSpec().getStrategy()).as("the fake server defaults like a real one").isNotNull();
        assertThat(live.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "rollback-deploy");
        assertThat(live.getMetadata().getAnnotations())
                .containsEntry("rollback-deploy.io/build", "team/shop#42")
                .containsEntry("rollback-deploy.io/template-hash",
                        target.get(new ObjectKey("apps", "Deployment", "shop", "web")).orElseThrow().hash().toString());

        LiveState observed = cluster.observe();
        assertThat(observed.objects().keys()).isEqualTo(target.keys());
        for (CanonicalObject wanted : target.objects()) {
            assertThat(observed.objects().get(wanted.key()).orElseThrow().canonicalJson())
                    .as(wanted.key().toString()).isEqualTo(wanted.canonicalJson());
        }
        assertThat(observed.objects().setHash()).isEqualTo(target.setHash());
    }

    @Test
    void restoreReachesTheTargetAndASecondRestoreWritesNothing() throws Exception {
        ManifestSet target = release("registry.example/web:1.0", "fast");

        Plan first = Restores.restore(target, cluster, controllers);
        int firstWrites = server.writes().size();
        server.clearLog();
        Plan second = Restores.restore(target, cluster, controllers);
        List<FakeApiServer.Seen> secondRequests = server.requests();

        assertThat(first.actions()).hasSize(5); // 4 applies + 1 readiness wait
        assertThat(firstWrites).isEqualTo(4);
        assertThat(cluster.observe().objects()).isEqualTo(target);
        assertThat(second.isEmpty()).as(second.render()).isTrue();
        assertThat(secondRequests).noneMatch(FakeApiServer.Seen::isWrite);
        System.out.printf("benchmark: restore from empty = %d API writes; restore of a matching target = %d API writes "
                + "(%d reads: one list per supported kind)%n", firstWrites,
                secondRequests.stream().filter(FakeApiServer.Seen::isWrite).count(), secondRequests.size());
    }

    @Test
    void restoreOfAChangedTargetWritesOnlyTheChangedObjects() throws Exception {
        Restores.restore(release("registry.example/web:1.0", "fast"), cluster, controllers);
        server.clearLog();

        ManifestSet older = release("registry.example/web:0.9", "fast");
        Restores.restore(older, cluster, controllers);
        List<FakeApiServer.Seen> requests = server.requests();

        assertThat(server.writes()).extracting(FakeApiServer.Seen::path)
                .singleElement().asString().startsWith("/apis/apps/v1/namespaces/shop/deployments/web?");
        assertThat(cluster.observe().objects()).isEqualTo(older);
        System.out.printf("benchmark: restore of a target differing in one image = %d API writes (%d requests in all, "
                + "readiness polls included)%n", server.writes().size(), requests.size());
    }

    @Test
    void everySupportedKindRoundTripsThroughApplyAndObserve() throws Exception {
        ManifestSet all = ManifestSet.of(List.of(
                Manifests.deployment("web", "registry.example/web:1.0", 1),
                Manifests.service("web"),
                Manifests.configMap("web-settings", Map.of("mode", "fast")),
                Manifests.secret("web-db", Map.of("password", "c2VjcmV0")),
                Manifests.object("v1", "ServiceAccount", "web", Map.of(), Map.of()),
                Manifests.object("v1", "PersistentVolumeClaim", "web-data", Map.of("spec", Map.of(
                        "accessModes", List.of("ReadWriteOnce"),
                        "resources", Map.of("requests", Map.of("storage", "1Gi")))), Map.of()),
                Manifests.object("apps/v1", "StatefulSet", "db", Map.of("spec", Map.of("serviceName", "db",
                        "selector", Map.of("matchLabels", Map.of("app", "db")),
                        "template", Map.of("metadata", Map.of("labels", Map.of("app", "db")),
                                "spec", Map.of("containers", List.of(Map.of("name", "db", "image", "postgres:16"))))
                )), Map.of()),
                Manifests.object("networking.k8s.io/v1", "Ingress", "web", Map.of("spec", Map.of("rules", List.of(
                        Map.of("host", "shop.example")))), Map.of()),
                Manifests.object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of(
                        "parentRefs", List.of(Map.of("name", "gateway")),
                        "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80, "weight", 100))))
                )), Map.of())));

        for (CanonicalObject object : all.objects()) {
            cluster.apply(object);
        }

        assertThat(cluster.observe().objects()).isEqualTo(all);
        assertThat(server.writes()).hasSize(9);
    }

    @Test
    void aReplicaOnlyChangeIsOneMergePatchThatKeepsTheObjectMatching() throws Exception {
        Restores.restore(release("registry.example/web:1.0", "fast"), cluster, controllers);
        server.clearLog();
        ManifestSet scaled = ManifestSet.of(List.of(Manifests.deployment("web", "registry.example/web:1.0", 5),
                Manifests.service("web"), Manifests.configMap("web-settings", Map.of("mode", "fast")),
                Manifests.secret("web-db", Map.of("password", "c2VjcmV0"))));

        Restores.restore(scaled, cluster, controllers);

        assertThat(server.writes()).singleElement().satisfies(w -> {
            assertThat(w.method()).isEqualTo("PATCH");
            assertThat(w.contentType()).startsWith("application/merge-patch+json");
            assertThat(w.path()).contains("fieldManager=rollback-deploy");
        });
        assertThat(controllerClient.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas())
                .isEqualTo(5);
        assertThat(cluster.observe().objects()).isEqualTo(scaled);
    }

    @Test
    void aHandEditedImageIsSeenAsDriftAndRestored() throws Exception {
        ManifestSet target = release("registry.example/web:1.0", "fast");
        Restores.restore(target, cluster, controllers);
        controllerClient.apps().deployments().inNamespace("shop").withName("web").patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"evil:latest\"}]");
        server.clearLog();

        Plan repair = Restores.restore(target, cluster, controllers);

        assertThat(repair.render()).contains("evil:latest");
        assertThat(server.writes()).hasSize(1);
        assertThat(cluster.observe().objects()).isEqualTo(target);
    }

    @Test
    void anImagePullFailureSurfacesThePodsReasonThroughThePlanExecutor() throws Exception {
        Restores.restore(release("registry.example/web:1.0", "fast"), cluster, controllers);
        controllers.breakImagePull("web", "registry.example/web:0.9");

        assertThatThrownBy(() -> Restores.restore(release("registry.example/web:0.9", "fast"), cluster, controllers))
                .isInstanceOf(Cluster.WorkloadFailedException.class)
                .hasMessageContaining("Deployment.apps/shop/web cannot become ready")
                .hasMessageContaining("ImagePullBackOff")
                .hasMessageContaining("Back-off pulling image \"registry.example/web:0.9\"");
    }

    @Test
    void aRolloutPastItsProgressDeadlineFails() throws Exception {
        Restores.restore(release("registry.example/web:1.0", "fast"), cluster, controllers);
        controllers.exceedDeadline("web");

        assertThatThrownBy(() -> cluster.isReady(new ObjectKey("apps", "Deployment", "shop", "web")))
                .isInstanceOf(Cluster.WorkloadFailedException.class)
                .hasMessageContaining("ProgressDeadlineExceeded")
                .hasMessageContaining("has timed out progressing");
    }

    @Test
    void aWorkloadIsNotReadyUntilItsControllerObservedTheNewGeneration() throws Exception {
        cluster.apply(Manifests.deployment("web", "registry.example/web:1.0", 2));
        ObjectKey web = new ObjectKey("apps", "Deployment", "shop", "web");
        assertThat(cluster.isReady(web)).isFalse();
        controllers.settle();
        assertThat(cluster.isReady(web)).isTrue();

        cluster.apply(Manifests.deployment("web", "registry.example/web:1.1", 2));

        assertThat(cluster.isReady(web)).as("status still describes the previous generation").isFalse();
    }

    @Test
    void deletingTwiceSucceedsAndObjectsNotOursAreNotObserved() throws Exception {
        cluster.apply(Manifests.configMap("web-settings", Map.of("mode", "fast")));
        controllerClient.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("someone-elses").endMetadata().addToData("a", "b").build()).create();
        ObjectKey settings = new ObjectKey("", "ConfigMap", "shop", "web-settings");

        cluster.delete(settings);
        cluster.delete(settings);

        assertThat(cluster.observe().objects().size()).isZero();
        assertThat(controllerClient.configMaps().inNamespace("shop").withName("someone-elses").get()).isNotNull();
    }

    @Test
    void refusesObjectsOfAnotherNamespaceOrAnotherManager() {
        CanonicalObject elsewhere = CanonicalObject.of(new ObjectKey("", "ConfigMap", "other", "x"), "v1",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}");
        CanonicalObject helms = Manifests.object("v1", "ConfigMap", "y", Map.of(),
                Map.of("app.kubernetes.io/managed-by", "Helm"));

        assertThatThrownBy(() -> cluster.apply(elsewhere)).hasMessageContaining("must be 'shop'")
                .hasMessageContaining("got 'other'");
        assertThatThrownBy(() -> cluster.apply(helms)).hasMessageContaining("got 'Helm'");
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void secretValuesNeverAppearInFailures() throws Exception {
        server.failNext(FakeApiServer.method("PATCH"), new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(403)
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
                        + "\"message\":\"secrets is forbidden\"}"));

        assertThatThrownBy(() -> cluster.apply(Manifests.secret("web-db", Map.of("password", "c2VjcmV0"))))
                .hasMessageContaining("apply Secret/shop/web-db failed: HTTP 403")
                .hasMessageNotContaining("c2VjcmV0")
                .hasMessageNotContaining("test-token");
        assertThat(cluster.toString()).doesNotContain("test-token");
    }

    @Test
    void appliedObjectsCarryOnlyTheManifestAndOurMarks() throws Exception {
        cluster.apply(Manifests.configMap("web-settings", Map.of("mode", "fast")));

        GenericKubernetesResource live = controllerClient.genericKubernetesResources("v1", "ConfigMap").inNamespace("shop")
                .withName("web-settings").get();

        assertThat(live.getMetadata().getAnnotations()).containsOnlyKeys("rollback-deploy.io/build",
                "rollback-deploy.io/template-hash", "rollback-deploy.io/label-added");
        assertThat(live.getAdditionalProperties()).containsEntry("data", Map.of("mode", "fast"));
    }
}
