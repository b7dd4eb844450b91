package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting to a cluster as a user describes it, and the checks before any write: each bad input
 * fails naming the field and value, the mock server's request log shows no write (none of these
 * checks even reads, except the namespace's one GET), and no credential appears anywhere.
 */
class KubernetesConnectionTest {

    private static final String TOKEN = "s3cr3t-t0ken";
    private static final String KEY_DATA = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tc2VjcmV0a2V5";

    private FakeApiServer server;
    private final Retrying retrying = new Retrying(2, Duration.ZERO, Duration.ZERO, () -> 0.5, d -> { });

    @BeforeEach
    void start() {
        server = new FakeApiServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String kubeconfig(String currentContext) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: staging
                  cluster: {server: "%s"}
                - name: prod
                  cluster: {server: "https://prod.example:6443"}
                users:
                - name: jenkins
                  user: {token: "%s"}
                - name: admin
                  user: {client-key-data: "%s", client-certificate-data: "%s"}
                contexts:
                - name: staging
                  context: {cluster: staging, user: jenkins}
                - name: prod
                  context: {cluster: prod, user: jenkins}
                - name: prod-admin
                  context: {cluster: prod, user: admin}
                %s
                """.formatted(server.url(), TOKEN, KEY_DATA, KEY_DATA,
                currentContext == null ? "" : "current-context: " + currentContext);
    }

    @Test
    void aKubeconfigFileThatDoesNotExistIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("kube/config");

        assertThatThrownBy(() -> KubernetesConnection.kubeconfigFile(missing, "staging").connect())
                .isInstanceOfSatisfying(KubernetesTargetException.class, e -> {
                    assertThat(e.field()).isEqualTo("kubernetes.kubeconfig");
                    assertThat(e.value()).isEqualTo(missing.toString());
                })
                .hasMessage("kubernetes.kubeconfig '" + missing + "' does not exist; it must be a kubeconfig file");
    }

    @Test
    void aContextThatIsNotInTheKubeconfigIsRefusedListingTheContextsItHas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, kubeconfig("staging"));

        assertThatThrownBy(() -> KubernetesConnection.kubeconfigFile(file, "production").connect())
                .isInstanceOfSatisfying(KubernetesTargetException.class, e -> assertThat(e.field()).isEqualTo("kubernetes.context"))
                .hasMessage("kubernetes.context 'production' is not in kubeconfig " + file + "; it has [prod, prod-admin, staging]")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void withoutAContextTheCurrentOneIsUsedAndNoneAtAllIsRefused() {
        try (KubernetesClient client = KubernetesConnection.kubeconfigContent(kubeconfig("prod"), "credentials 'kc'", null)
                .connect()) {
            assertThat(client.getMasterUrl().getHost()).isEqualTo("prod.example");
        }
        assertThatThrownBy(() -> KubernetesConnection.kubeconfigContent(kubeconfig(null), "credentials 'kc'", null).connect())
                .hasMessage("kubernetes.context '(none)' must be one of [prod, prod-admin, staging]: kubeconfig credentials 'kc'"
                        + " sets no current-context");
        assertThatThrownBy(() -> KubernetesConnection.kubeconfigContent(kubeconfig(null), "credentials 'kc'", "prod-admin")
                .connect()).isInstanceOf(KubernetesTargetException.class)
                .hasMessage("kubernetes.context 'prod-admin' has credentials that cannot be used (a client certificate or key"
                        + " that is not valid?); contents not shown").hasNoCause();
    }

    @Test
    void aCurrentContextThatIsNotInTheKubeconfigIsNamedToo() {
        assertThatThrownBy(() -> KubernetesConnection.kubeconfigContent(kubeconfig("ghost"), "credentials 'kc'", null).connect())
                .isInstanceOf(KubernetesTargetException.class)
                .hasMessage("kubernetes.context 'ghost' is not in kubeconfig credentials 'kc'; it has [prod, prod-admin, staging]");
    }

    @Test
    void kubeconfigContentFromASecretFileCredentialReachesTheServerItNames() throws Exception {
        KubernetesConnection connection = KubernetesConnection.kubeconfigContent(kubeconfig("prod-admin"),
                "credentials 'shop-kubeconfig'", "staging");
        server.controllerClient().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .endMetadata().build()).create();
        server.clearLog();

        try (KubernetesClient client = connection.connect()) {
            assertThat(KubernetesTargetCheck.checkNamespace(client, "shop", retrying)).isEmpty();
            assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).as("Retrying owns retries").isZero();
        }
        assertThat(server.requests()).extracting(FakeApiServer.Seen::toString).containsExactly("GET /api/v1/namespaces/shop");
        assertThat(connection).hasToString("kubeconfig credentials 'shop-kubeconfig' context staging");
    }

    @Test
    void credentialsNeverAppearInMessagesOrToString(@TempDir Path dir) throws Exception {
        String broken = kubeconfig("staging").replace("contexts:", "contexts: [[[ " + TOKEN);
        Path file = dir.resolve("config");
        Files.writeString(file, broken);

        for (KubernetesConnection connection : List.of(KubernetesConnection.kubeconfigFile(file, "staging"),
                KubernetesConnection.kubeconfigContent(broken, "credentials 'kc'", "staging"))) {
            assertThatThrownBy(connection::connect).isInstanceOf(KubernetesTargetException.class)
                    .hasMessageContaining("is not a valid kubeconfig (contents not shown")
                    .hasMessageNotContaining(TOKEN).hasMessageNotContaining(KEY_DATA).hasNoCause();
            assertThat(connection.toString()).doesNotContain(TOKEN).doesNotContain(KEY_DATA).doesNotContain("client-key");
        }
        assertThatThrownBy(() -> KubernetesConnection.kubeconfigContent(" ", "credentials 'kc'", null))
                .hasMessage("kubernetes.kubeconfig 'credentials 'kc'' is empty; it must be a kubeconfig");
    }

    @Test
    void inClusterUsesThePodsServiceAccountAndRereadsItsRotatingToken(@TempDir Path serviceAccount) throws Exception {
        Files.writeString(serviceAccount.resolve("token"), "first-token\n");
        KubernetesConnection connection = KubernetesConnection.inCluster(
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"), serviceAccount);

        try (KubernetesClient client = connection.connect()) {
            assertThat(client.getMasterUrl().toString()).isEqualTo("https://10.96.0.1:443/");
            assertThat(client.getConfiguration().getOauthTokenProvider().getToken()).isEqualTo("first-token");
            Files.writeString(serviceAccount.resolve("token"), "rotated-token\n");
            assertThat(client.getConfiguration().getOauthTokenProvider().getToken()).isEqualTo("rotated-token");
        }
        assertThat(connection).hasToString("in-cluster service account");
    }

    @Test
    void inClusterOutsideAPodSaysWhatIsMissingAndWhatToGiveInstead(@TempDir Path serviceAccount) {
        assertThatThrownBy(() -> KubernetesConnection.inCluster(Map.of(), serviceAccount).connect())
                .isInstanceOf(KubernetesTargetException.class)
                .hasMessageContaining("kubernetes.inCluster 'true' needs a pod: KUBERNETES_SERVICE_HOST")
                .hasMessageContaining("outside a pod give kubernetes.kubeconfig instead");
    }

    @Test
    void aNamespaceThatDoesNotExistIsRefusedWithoutAnyWrite() {
        try (KubernetesClient client = server.client()) {
            assertThatThrownBy(() -> KubernetesTargetCheck.check(client, "shopp", ManifestSet.empty(), List.of(), retrying))
                    .isInstanceOfSatisfying(KubernetesTargetException.class, e -> assertThat(e.value()).isEqualTo("shopp"))
                    .hasMessageStartingWith("kubernetes.namespace 'shopp' does not exist on ");
        }
        assertThat(server.writes()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aNamespaceThisAccountMayNotReadIsAWarningNotARefusal() throws Exception {
        server.failNext(FakeApiServer.method("GET"), new MockResponse().setResponseCode(403).setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,\"reason\":\"Forbidden\"}"));
        try (KubernetesClient client = server.client()) {
            assertThat(KubernetesTargetCheck.checkNamespace(client, "shop", retrying)).singleElement().asString()
                    .contains("could not check that namespace 'shop' exists");
        }
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void aWorkloadMissingFromTheManifestsIsRefusedBeforeTheServerIsAsked() {
        ManifestSet rendered = ManifestSet.of(List.of(Manifests.deployment("web", "registry.example/web:1.0", 2),
                Manifests.service("web")));
        try (KubernetesClient client = server.client()) {
            assertThatThrownBy(() -> KubernetesTargetCheck.check(client, "shop", rendered,
                    List.of(new ObjectKey("apps", "Deployment", "shop", "api")), retrying))
                    .isInstanceOfSatisfying(KubernetesTargetException.class,
                            e -> assertThat(e.field()).isEqualTo("kubernetes.workloads"))
                    .hasMessage("kubernetes.workloads 'Deployment.apps/shop/api' is not in the rendered manifests; the workloads"
                            + " they have are [Deployment.apps/shop/web]");
            assertThatThrownBy(() -> KubernetesTargetCheck.check(client, "shop", rendered,
                    List.of(new ObjectKey("", "Service", "shop", "web")), retrying))
                    .hasMessageContaining("'Service/shop/web' is not a workload");
            assertThatThrownBy(() -> KubernetesTargetCheck.check(client, "prod", rendered, List.of(), retrying))
                    .hasMessageContaining("is in namespace 'shop'; every object must be in the target's namespace 'prod'");
        }
        assertThat(server.requests()).isEmpty();
    }
}
