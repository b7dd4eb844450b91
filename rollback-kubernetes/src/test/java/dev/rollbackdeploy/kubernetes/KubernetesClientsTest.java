package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesClientsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no scheme        | localhost:6443                      | got 'localhost:6443'
        wrong scheme     | ftp://api.example:6443              | got 'ftp://api.example:6443'
        password in URL  | https://admin:s3cret@api.example:6443 | got 'https://api.example:6443'
        """)
    void refusesServerUrlsItCannotUseWithoutEchoingSecrets(String row, String url, String shown) {
        assertThatThrownBy(() -> KubernetesClients.forServer(URI.create(url), "tok3n", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(shown)
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("tok3n");
    }

    @Test
    void refusesABlankTokenAndCaTextThatIsNotPem() {
        assertThatThrownBy(() -> KubernetesClients.forServer(URI.create("https://api.example:6443"), " ", null))
                .hasMessage("API server token must not be blank");
        assertThatThrownBy(() -> KubernetesClients.forServer(URI.create("https://api.example:6443"), "tok3n", "abc"))
                .hasMessageContaining("CA certificate must be PEM").hasMessageNotContaining("tok3n");
    }

    @Test
    void theRequestTimeoutIsTheOneGivenTenSecondsByDefaultAndMustBePositive() {
        URI server = URI.create("https://api.example:6443");
        try (KubernetesClient standard = KubernetesClients.forServer(server, "tok3n", null);
                KubernetesClient quick = KubernetesClients.forServer(server, "tok3n", null, Duration.ofMillis(1500))) {
            assertThat(standard.getConfiguration().getRequestConfig().getRequestTimeout()).isEqualTo(10_000);
            assertThat(quick.getConfiguration().getRequestConfig().getRequestTimeout()).isEqualTo(1500);
        }
        assertThatThrownBy(() -> KubernetesClients.forServer(server, "tok3n", null, Duration.ZERO))
                .hasMessage("request timeout must be more than 0 and at most 10 minutes, got PT0S");
        assertThatThrownBy(() -> KubernetesClients.forServer(server, "tok3n", null, Duration.ofHours(1)))
                .hasMessage("request timeout must be more than 0 and at most 10 minutes, got PT1H");
    }

    @Test
    void theClientIsConfiguredWithoutFabric8sOwnRetriesAndKeepsTheTokenOutOfToString() {
        try (KubernetesClient client = KubernetesClients.forServer(URI.create("https://api.example:6443"), "tok3n", null)) {
            assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).isZero();
            assertThat(client.getConfiguration().getOauthToken()).isEqualTo("tok3n");
            assertThat(client.getHttpClient().getClass().getName()).startsWith("io.fabric8.kubernetes.client.okhttp.");
            assertThat(new KubernetesCluster(client, "shop", dev.rollbackdeploy.record.BuildRef.parse("a#1")).toString())
                    .isEqualTo("KubernetesCluster[api.example namespace shop as a#1]");
        }
    }

    @Test
    void readsAKubeconfigAndItsNamedContext(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod
                  cluster: {server: "https://prod.example:6443"}
                - name: dev
                  cluster: {server: "https://dev.example:6443"}
                users:
                - name: jenkins
                  user: {token: "tok3n"}
                contexts:
                - name: prod
                  context: {cluster: prod, user: jenkins, namespace: shop}
                - name: dev
                  context: {cluster: dev, user: jenkins}
                current-context: dev
                """);

        try (KubernetesClient client = KubernetesClients.fromKubeconfig(kubeconfig, "prod")) {
            assertThat(client.getMasterUrl().getHost()).isEqualTo("prod.example");
            assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).isZero();
        }
        assertThatThrownBy(() -> KubernetesClients.fromKubeconfig(dir.resolve("missing"), null))
                .hasMessageContaining("does not exist; it must be a kubeconfig file");
        Path broken = dir.resolve("broken");
        Files.writeString(broken, "users:\n- name: x\n  user: {token: \"tok3n\"\n  : : [\n");
        assertThatThrownBy(() -> KubernetesClients.fromKubeconfig(broken, null))
                .hasMessageContaining("is not a valid kubeconfig")
                .hasMessageNotContaining("tok3n")
                .hasNoCause();
    }
}
