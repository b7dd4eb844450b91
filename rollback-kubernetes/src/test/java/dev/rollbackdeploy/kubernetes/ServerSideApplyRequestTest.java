package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Expectation mode, where the real request is asserted rather than emulated: a server-side apply
 * is a PATCH with the apply content type, our field manager, and force.
 */
class ServerSideApplyRequestTest {

    @Test
    void applyIsAServerSideApplyPatchUnderOurFieldManagerWithForce() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.start(InetAddress.getLoopbackAddress(), 0);
        server.expect().patch().withPath("/api/v1/namespaces/shop/configmaps/web-settings?fieldManager=rollback-deploy&force=true")
                .andReturn(200, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"web-settings\","
                        + "\"namespace\":\"shop\"},\"data\":{\"mode\":\"fast\"}}")
                .once();
        try (KubernetesClient client = KubernetesClients.forServer(URI.create(server.url("/")), "test-token", null)) {
            KubernetesCluster cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#7"));

            cluster.apply(Manifests.configMap("web-settings", Map.of("mode", "fast")));

            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(request.getMethod()).isEqualTo("PATCH");
            assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
            assertThat(request.getPath()).contains("fieldManager=rollback-deploy").contains("force=true");
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer test-token");
            String body = request.getBody().readUtf8();
            assertThat(body).contains("\"app.kubernetes.io/managed-by\":\"rollback-deploy\"")
                    .contains("\"rollback-deploy.io/build\":\"team/shop#7\"")
                    .contains("\"rollback-deploy.io/template-hash\":\"sha256:")
                    .doesNotContain("managedFields");
        } finally {
            server.shutdown();
        }
    }
}
