package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.restore.DigestPreflightException;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.manifest.WorkloadRef;
import dev.rollbackdeploy.restore.PreparedRestore;
import dev.rollbackdeploy.restore.RestorePreparation;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore prepared by the engine against a real (fake) API server: a build whose image digest was
 * garbage-collected is refused before a single request reaches the cluster, even with traffic on a
 * canary; a build whose digests exist is restored, traffic first.
 */
class RestorePreflightTest {

    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");

    /** A registry holding the digests of the given builds only. */
    private record FakeRegistry(Set<Digest> present) implements Registry {
        @Override
        public Digest resolve(ImageRef image) {
            throw new AssertionError("a restore must not resolve tags: " + image);
        }

        @Override
        public boolean exists(ImageRef image, Digest digest) {
            return present.contains(digest);
        }
    }

    @TempDir
    Path records;
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private FileRecordStore store;
    private HttpRouteTrafficRouter router;
    private KubernetesCluster cluster;

    @BeforeEach
    void deployBuild43WithACanaryAtTenPercent() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
        store = new FileRecordStore(records);
        for (int n = 41; n <= 43; n++) {
            store.save(record(n));
        }
        Retrying retrying = new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { });
        Restores.restore(manifests(43), new KubernetesCluster(client, "shop", build(43), retrying, 3), controllers);
        GenericKubernetesResource route = new GenericKubernetesResource();
        route.setApiVersion("gateway.networking.k8s.io/v1");
        route.setKind("HTTPRoute");
        route.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
        route.setAdditionalProperty("spec", Map.of("rules", List.of(Map.of("backendRefs", List.of(
                Map.of("name", "web", "port", 80, "weight", 90), Map.of("name", "web-canary", "port", 80, "weight", 10))))));
        controllerClient.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute").inNamespace("shop")
                .resource(route).create();
        router = new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", retrying);
        cluster = new KubernetesCluster(client, "shop", build(44), retrying, 3).withTrafficRouter(router);
        assertThat(router.canaryWeight()).isEqualTo(Weight.of(10));
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private static BuildRef build(int number) {
        return new BuildRef("team/shop", number);
    }

    private static Digest digest(int number) {
        return Digest.sha256Of(("web-" + number).getBytes(StandardCharsets.UTF_8));
    }

    private static ManifestSet manifests(int number) {
        return ManifestSet.of(List.of(
                Manifests.deployment("web", "registry.example/web:1." + number + "@" + digest(number), 2),
                Manifests.service("web")));
    }

    private static DeploymentRecord record(int number) {
        Instant started = Instant.parse("2026-11-20T10:00:00Z").plusSeconds(3600L * number);
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(build(number), URI.create("https://ci.example.com/job/team/job/shop/" + number + "/"), "alice"),
                new Target.Kubernetes("prod-shop", "prod-eu", URI.create("https://k8s.example.com:6443"), "shop", "kube-prod"),
                List.of(new DeployedWorkload(new WorkloadRef(WEB, "web"), ImageRef.parse("registry.example/web:1." + number),
                        digest(number))),
                manifests(number), new StrategySpec(StrategyKind.CANARY, Map.of("steps", "10,50,100")), List.of(),
                Outcome.promoted(), started, started.plusSeconds(600));
    }

    private PreparedRestore prepare(int number, Set<Integer> present) throws Exception {
        Set<Digest> digests = new java.util.HashSet<>();
        present.forEach(n -> digests.add(digest(n)));
        return RestorePreparation.prepare(store, build(number), cluster, Optional.of(new FakeRegistry(digests)),
                RestoreOptions.SAFE);
    }

    @Test
    void aBuildWhoseDigestIsGoneMakesNoApiRequestAndNamesTheNearestRestorableBuild() throws Exception {
        assertThatThrownBy(() -> prepare(42, Set.of(41, 43)))
                .isInstanceOf(DigestPreflightException.class)
                .hasMessage("cannot restore build team/shop#42: image registry.example/web@" + digest(42)
                        + " (recorded as tag 1.42) no longer exists in the registry; the nearest restorable build is "
                        + "team/shop#41");

        assertThat(server.writes()).as("writes to the API server").isEmpty();
        assertThat(server.requests()).as("requests of any kind: not even observed").isEmpty();
        assertThat(router.canaryWeight()).as("traffic untouched").isEqualTo(Weight.of(10));
    }

    @Test
    void aBuildWhoseDigestsExistIsRestoredTrafficFirst() throws Exception {
        PreparedRestore prepared = prepare(41, Set.of(41, 43));
        Restores.run(prepared.plan(), cluster, router, controllers);

        assertThat(prepared.plan().actions()).extracting(Action::describe).startsWith(
                "set canary traffic to 0% (stable 100%)",
                "apply Deployment.apps/shop/web (" + manifests(41).get(WEB).orElseThrow().hash() + ")");
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(cluster.observe().objects()).isEqualTo(manifests(41));
        assertThat(controllerClient.apps().deployments().inNamespace("shop").list().getItems()).singleElement()
                .satisfies(d -> assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                        .isEqualTo("registry.example/web:1.41@" + digest(41)));
        assertThat(controllerClient.services().inNamespace("shop").list().getItems()).hasSize(1);
        server.clearLog();
        assertThat(prepare(41, Set.of(41)).plan().isEmpty()).as("restoring it again has nothing to do").isTrue();
        assertThat(server.writes()).isEmpty();
    }
}
