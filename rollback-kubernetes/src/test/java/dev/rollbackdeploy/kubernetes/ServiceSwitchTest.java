package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceSwitchTest {

    private FakeApiServer server;
    private KubernetesClient client;
    private Retrying retrying;

    @BeforeEach
    void start() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        KubernetesCluster cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"));
        cluster.apply(service("web", Map.of("app", "web", "slot", "blue", "track", "stable")));
        cluster.apply(service("web-preview", Map.of("app", "web", "slot", "green")));
        retrying = new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { });
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static dev.rollbackdeploy.manifest.CanonicalObject service(String name, Map<String, String> selector) {
        return Manifests.object("v1", "Service", name, Map.of("spec", Map.of("selector", selector,
                "ports", List.of(Map.of("port", 80)))), Map.of());
    }

    private ServiceSwitch fresh() {
        return new ServiceSwitch(client, "shop", "web", "web-preview", retrying);
    }

    @Test
    void promotionCopiesThePreviewSelectorExactlyInOneWriteAndAgainInNone() throws Exception {
        assertThat(fresh().promote()).isTrue();

        assertThat(fresh().activeSelector()).isEqualTo(Map.of("app", "web", "slot", "green"));
        assertThat(server.writes()).hasSize(1);
        assertThat(fresh().promote()).as("already switched").isFalse();
        assertThat(server.writes()).hasSize(1);
    }

    @Test
    void aFreshProcessSwitchesBackFromTheAnnotationTheSwitchLeft() throws Exception {
        fresh().promote();

        assertThat(fresh().switchBack()).isTrue();

        assertThat(fresh().activeSelector()).isEqualTo(Map.of("app", "web", "slot", "blue", "track", "stable"));
        assertThat(server.writes()).hasSize(2);
        assertThat(fresh().switchBack()).isFalse();
    }

    @Test
    void switchingBackAServiceWeNeverSwitchedSaysWhatToDoInstead() {
        assertThatThrownBy(() -> fresh().switchBack()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Service shop/web has no annotation rollback-deploy.io/previous-selector")
                .hasMessageContaining("restore the previous build from its record instead");
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void aMissingServiceOrSameNamesAreClearErrors() {
        assertThatThrownBy(() -> new ServiceSwitch(client, "shop", "web", "web", retrying))
                .hasMessage("active and preview Services must differ, got 'web' and 'web'");
        assertThatThrownBy(() -> new ServiceSwitch(client, "shop", "web", "nope", retrying).promote())
                .hasMessage("Service shop/nope does not exist");
    }
}
