package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.FieldChange;
import dev.rollbackdeploy.plan.ObjectChange;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drift between builds: someone writes to the API directly (as {@code kubectl set image} or
 * {@code kubectl edit} do), the drift check names the objects and fields with their live values,
 * and a restore of the record through the existing restore path repairs it. The checks only read.
 */
class KubernetesDriftTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final String RECORDED_IMAGE = "registry.example/web:1.0";

    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient kubectl;
    private FakeControllers controllers;
    private KubernetesCluster cluster;
    private final ManifestSet record = ManifestSet.of(List.of(Manifests.deployment("web", RECORDED_IMAGE, 2),
            Manifests.service("web"), Manifests.configMap("web-settings", Map.of("mode", "fast")),
            Manifests.secret("web-db", Map.of("password", "c2VjcmV0"))));

    @BeforeEach
    void start() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        kubectl = server.controllerClient(); // a person's writes: not counted as ours
        controllers = new FakeControllers(kubectl, "shop");
        cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"));
        Restores.restore(record, cluster, controllers);
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        kubectl.close();
        server.close();
    }

    private DriftReport drift() throws Exception {
        return KubernetesDrift.check(cluster, "team/shop#42", record);
    }

    /**
     * {@code kubectl set image deployment/web web=...} by another field manager (kubectl sends a
     * strategic merge patch, which the mock cannot apply to lists; a JSON patch writes the same).
     */
    private void setImage(String image) {
        PatchContext patch = new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kubectl-set").build();
        kubectl.apps().deployments().inNamespace("shop").withName("web").patch(patch,
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]");
    }

    /**
     * What a real API server records after that patch (the mock does not): the image is no longer
     * ours but kubectl-set's, so the restore's projection no longer has it.
     */
    private void moveImageOwnershipToKubectl() throws Exception {
        GenericKubernetesResource live = kubectl.genericKubernetesResources("apps/v1", "Deployment").inNamespace("shop")
                .withName("web").get();
        ObjectNode node = (ObjectNode) JSON.readTree(kubectl.getKubernetesSerialization().asJson(live));
        ArrayNode managed = (ArrayNode) node.with("metadata").get("managedFields");
        ObjectNode containers = (ObjectNode) managed.get(0).path("fieldsV1").path("f:spec").path("f:template").path("f:spec")
                .path("f:containers");
        containers.properties().forEach(e -> ((ObjectNode) e.getValue()).remove("f:image"));
        managed.addObject().put("manager", "kubectl-set").put("operation", "Update").put("apiVersion", "apps/v1")
                .put("time", "2026-11-23T04:00:00Z").put("fieldsType", "FieldsV1").putObject("fieldsV1");
        kubectl.genericKubernetesResources("apps/v1", "Deployment").inNamespace("shop").resource(
                kubectl.getKubernetesSerialization().unmarshal(JSON.writeValueAsString(node), GenericKubernetesResource.class))
                .update();
    }

    private static List<FieldChange> fieldsOf(DriftReport report, ObjectKey key) {
        return report.objects().objects().stream().filter(c -> c.key().equals(key))
                .map(c -> ((ObjectChange.Changed) c).fields()).findFirst().orElseThrow();
    }

    @Test
    void aTargetAsRecordedIsInSyncAndTheCheckOnlyReads() throws Exception {
        DriftReport report = drift();

        assertThat(report.inSync()).isTrue();
        assertThat(report.render()).isEqualTo("in sync: live matches the record of team/shop#42\n");
        assertThat(server.writes()).isEmpty();
        System.out.printf("FIGURE drift check in sync: writes = %d, reads = %d%n", server.writes().size(),
                server.requests().size());
    }

    @Test
    void anImageSetByHandIsReportedWithItsLiveValueAndARestoreRepairsIt() throws Exception {
        setImage("registry.example/web:hotfix");

        DriftReport report = drift();

        assertThat(report.inSync()).isFalse();
        assertThat(report.objects().images()).singleElement().satisfies(image -> {
            assertThat(image.toString()).contains("registry.example/web:hotfix").contains(RECORDED_IMAGE);
        });
        assertThat(report.render()).startsWith("DRIFT: live differs from the record of team/shop#42")
                .contains("~ Deployment.apps/shop/web")
                .contains("spec.template.spec.containers[web].image: \"registry.example/web:hotfix\" -> \""
                        + RECORDED_IMAGE + "\"")
                .contains("A restore of team/shop#42 puts the recorded state back");
        assertThat(server.writes()).isEmpty();

        Restores.restore(record, cluster, controllers);

        assertThat(drift().inSync()).as("the restore repaired it").isTrue();
        assertThat(kubectl.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo(RECORDED_IMAGE);
    }

    @Test
    void whenTheServerMovedTheFieldToKubectlTheLiveValueAndTheWriterAreStillShown() throws Exception {
        setImage("registry.example/web:hotfix");
        moveImageOwnershipToKubectl();

        DriftReport report = drift();

        assertThat(fieldsOf(report, WEB)).singleElement().hasToString("spec.template.spec.containers[web].image: "
                + "\"registry.example/web:hotfix\" -> \"" + RECORDED_IMAGE + "\"");
        assertThat(report.notes()).singleElement().asString()
                .isEqualTo("Deployment.apps/shop/web was also written by kubectl-set (Update at 2026-11-23T04:00:00Z)");
        Restores.restore(record, cluster, controllers);
        assertThat(drift().inSync()).isTrue();
    }

    @Test
    void anEditedConfigMapAndSecretAreReportedWithoutTheSecretsValues() throws Exception {
        kubectl.configMaps().inNamespace("shop").withName("web-settings").edit(c -> {
            c.setData(Map.of("mode", "slow"));
            return c;
        });
        kubectl.secrets().inNamespace("shop").withName("web-db").edit(s -> {
            s.setData(Map.of("password", "aHVudGVyMg=="));
            return s;
        });

        DriftReport report = drift();

        assertThat(fieldsOf(report, new ObjectKey("", "ConfigMap", "shop", "web-settings")))
                .containsExactly(new FieldChange("data.mode", "\"slow\"", "\"fast\""));
        assertThat(fieldsOf(report, new ObjectKey("", "Secret", "shop", "web-db")))
                .containsExactly(new FieldChange("data.password", "(hidden)", "(hidden)"));
        assertThat(report.render()).doesNotContain("aHVudGVyMg==").doesNotContain("c2VjcmV0");
        Restores.restore(record, cluster, controllers);
        assertThat(drift().inSync()).isTrue();
    }

    @Test
    void trafficLeftOnACanaryIsDriftAndTheRestoreTakesItOff() throws Exception {
        List<dev.rollbackdeploy.manifest.CanonicalObject> objects = new java.util.ArrayList<>(record.objects());
        objects.add(Manifests.object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of("rules",
                        List.of(Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80)))))), Map.of()));
        ManifestSet withRoute = ManifestSet.of(objects);
        Retrying retrying = new Retrying(2, Duration.ZERO, Duration.ZERO, () -> 0.5, d -> { });
        HttpRouteTrafficRouter route = new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);
        KubernetesCluster routed = cluster.withTrafficRouter(route);
        Restores.restore(withRoute, routed, route, controllers);
        route.setCanaryWeight(Weight.of(10)); // a rollout that died half-way

        DriftReport report = KubernetesDrift.check(routed, "team/shop#43", withRoute);

        assertThat(report.inSync()).isFalse();
        assertThat(report.render()).contains("Traffic: the canary gets 10% (recorded: 0%)");
        Restores.restore(withRoute, routed, route, controllers);
        assertThat(KubernetesDrift.check(routed, "team/shop#43", withRoute).inSync()).isTrue();
    }
}
