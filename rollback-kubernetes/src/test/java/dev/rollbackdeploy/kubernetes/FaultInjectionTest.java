package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults an API server really produces, in the middle of a restore: retried with backoff, and a re-run converges. */
class FaultInjectionTest {

    private static final BuildRef BUILD = BuildRef.parse("team/shop#42");

    private final List<Duration> waits = new ArrayList<>();
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;

    @BeforeEach
    void start() {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private KubernetesCluster cluster(KubernetesClient on, int attempts) {
        return new KubernetesCluster(on, "shop", BUILD,
                new Retrying(attempts, Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.5, waits::add), 3);
    }

    private static ManifestSet release() {
        return ManifestSet.of(List.of(Manifests.deployment("web", "registry.example/web:1.0", 2), Manifests.service("web"),
                Manifests.configMap("web-settings", Map.of("mode", "fast"))));
    }

    private static MockResponse status(int code, String reason) {
        return new MockResponse().setResponseCode(code).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"status\":\"Failure\",\"code\":" + code + ",\"reason\":\"" + reason + "\",\"message\":\"" + reason + "\"}");
    }

    @Test
    void serverErrorsThrottlingAndConflictsMidRestoreAreRetriedAndTheRestoreCompletes() throws Exception {
        server.failNext(FakeApiServer.method("PATCH"), status(500, "InternalError"));
        server.failNext(FakeApiServer.method("PATCH"), new MockResponse().setResponseCode(429).setHeader("Retry-After", "2")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":429,"
                        + "\"reason\":\"TooManyRequests\",\"message\":\"slow down\",\"details\":{\"retryAfterSeconds\":2}}"));
        server.failNext(FakeApiServer.method("PATCH"), status(409, "Conflict"));
        KubernetesCluster cluster = cluster(client, 6);

        Restores.restore(release(), cluster, controllers);

        assertThat(waits).containsExactly(Duration.ofMillis(75), Duration.ofSeconds(2), Duration.ofMillis(300));
        assertThat(server.writes()).hasSize(3 + 3);
        assertThat(cluster.observe().objects()).isEqualTo(release());
        assertThat(controllerClient.configMaps().inNamespace("shop").list().getItems()).hasSize(1);
        assertThat(controllerClient.services().inNamespace("shop").list().getItems()).hasSize(1);
        assertThat(controllerClient.apps().deployments().inNamespace("shop").list().getItems()).hasSize(1);
    }

    @Test
    void aRestoreThatFailsMidwayConvergesWhenRunAgainWithoutDuplicates() throws Exception {
        KubernetesCluster cluster = cluster(client, 2);
        server.failNext(r -> r.getPath().startsWith("/apis/apps/v1/namespaces/shop/deployments/web?"), status(503, "ServiceUnavailable"));
        server.failNext(r -> r.getPath().startsWith("/apis/apps/v1/namespaces/shop/deployments/web?"), status(503, "ServiceUnavailable"));

        assertThatThrownBy(() -> Restores.restore(release(), cluster, controllers))
                .isInstanceOf(IOException.class)
                .hasMessage("apply Deployment.apps/shop/web failed after 2 attempts: HTTP 503 ServiceUnavailable");
        assertThat(cluster.observe().objects().size()).as("the objects before the failure were applied").isEqualTo(2);
        server.clearLog();

        Restores.restore(release(), cluster, controllers);

        assertThat(server.writes()).extracting(FakeApiServer.Seen::path).singleElement().asString()
                .startsWith("/apis/apps/v1/namespaces/shop/deployments/web?");
        assertThat(cluster.observe().objects()).isEqualTo(release());
        assertThat(controllerClient.configMaps().inNamespace("shop").list().getItems()).hasSize(1);
        assertThat(controllerClient.apps().deployments().inNamespace("shop").list().getItems()).hasSize(1);
    }

    @Test
    void resetConnectionsAreRetriedUntilTheApplyGoesThrough() throws Exception {
        try (ResettingProxy proxy = new ResettingProxy(server.port());
                KubernetesClient viaProxy = KubernetesClients.forServer(URI.create("http://127.0.0.1:" + proxy.port() + "/"),
                        "test-token", null)) {
            KubernetesCluster cluster = cluster(viaProxy, 6);
            cluster.apply(Manifests.configMap("web-settings", Map.of("mode", "fast")));

            proxy.resetNext(4);
            cluster.apply(Manifests.configMap("web-settings", Map.of("mode", "safe")));

            assertThat(proxy.resetsDone()).isEqualTo(4);
            assertThat(waits).as("our retries, on top of OkHttp's single silent retry").isNotEmpty();
            assertThat(controllerClient.configMaps().inNamespace("shop").list().getItems()).singleElement()
                    .satisfies(cm -> assertThat(cm.getData()).containsEntry("mode", "safe"));
        }
    }
}
