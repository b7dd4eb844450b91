package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The spec's {@code target.kubernetes} section: docs/examples/kubernetes.yaml, and each way it can be wrong. */
class KubernetesSpecTest {

    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
              - name: staging-cluster
                cluster: {server: "https://127.0.0.1:6443"}
              - name: prod-cluster
                cluster: {server: "https://10.0.0.1:6443"}
            users:
              - name: me
                user: {token: "s3cret-token-never-printed"}
            contexts:
              - name: staging
                context: {cluster: staging-cluster, user: me}
              - name: prod
                context: {cluster: prod-cluster, user: me}
            current-context: prod
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void copyTheExample() throws IOException {
        Path examples = Path.of("..", "docs", "examples");
        Files.createDirectories(dir.resolve("build-43"));
        for (String file : new String[] {"build-43/app.yaml", "build-43/service.json", "digests.yaml"}) {
            Files.copy(examples.resolve(file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG);
    }

    /** The example with its kubeconfig path pointed at this test's file, and {@code edit} applied. */
    private Path spec(String from, String to) throws IOException {
        String text = Files.readString(Path.of("..", "docs", "examples", "kubernetes.yaml"))
                .replace("/home/me/.kube/config", "kubeconfig");
        if (from != null) {
            if (!text.contains(from)) {
                throw new AssertionError("the example has no '" + from + "'");
            }
            text = text.replace(from, to);
        }
        return Files.writeString(dir.resolve("k8s.yaml"), text);
    }

    @Test
    void theDocumentedExampleIsAValidSpecWithItsImagesPinnedAndItsServicesFound() throws Exception {
        DeploymentSpec spec = SpecFile.read(spec(null, null));

        KubernetesTarget k8s = spec.kubernetes();
        assertThat(spec.isKubernetes()).isTrue();
        assertThat(spec.steps()).containsExactly(Weight.of(10), Weight.of(50), Weight.ALL);
        assertThat(spec.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(k8s.namespace()).isEqualTo("shop");
        assertThat(k8s.cluster()).isEqualTo("staging-cluster");
        assertThat(k8s.server().toString()).startsWith("https://127.0.0.1:6443");
        assertThat(k8s.stable().name()).isEqualTo("shop");
        assertThat(k8s.canary().name()).isEqualTo("shop-canary");
        assertThat(k8s.traffic()).isEqualTo(KubernetesTarget.Traffic.HTTPROUTE);
        assertThat(k8s.stableService()).isEqualTo("shop");
        assertThat(k8s.canaryService()).isEqualTo("shop-canary");
        assertThat(k8s.release().size()).isEqualTo(5);
        assertThat(k8s.stableInRelease().canonicalJson()).contains("registry.example/shop:43@sha256:4f1c9e4a");
        assertThat(k8s.images()).hasSize(2).allSatisfy(i -> assertThat(i.digest().toString()).startsWith("sha256:4f1c"));
        assertThat(spec.stepGate().metrics().get(0).toString())
                .contains("http_requests_total{namespace=\"shop\",deployment=\"shop-canary\",code=~\"5..\"}");
        assertThat(k8s.recordTarget().toString()).doesNotContain("s3cret");
        assertThat(spec.describe()).contains("namespace shop").doesNotContain("s3cret");
    }

    @Test
    void blueGreenSwitchesTheActiveServiceToTheServiceSelectingTheNewColour() throws Exception {
        String text = Files.readString(spec(null, null)).replace("strategy: canary ", "strategy: blueGreen ")
                .replace("steps: [10, 50, 100]", "").replace("scaleDownDelay: 30s", "scaleDownDelay: 1m")
                .replace("traffic: httproute ", "traffic: service ").replace("route: shop ", "# route: shop ")
                .replace("# service: shop ", "service: shop ");

        DeploymentSpec spec = SpecFile.read(rewrite(text));

        assertThat(spec.strategy()).isEqualTo(DeploymentSpec.Strategy.BLUE_GREEN);
        assertThat(spec.kubernetes().service()).isEqualTo("shop");
        assertThat(spec.kubernetes().canaryService()).isEqualTo("shop-canary");
        assertThat(spec.scaleDownDelay()).isEqualTo(Duration.ofMinutes(1));
    }

    private Path rewrite(String text) throws IOException {
        return Files.writeString(dir.resolve("k8s.yaml"), text);
    }

    static Stream<Arguments> wrongTargets() {
        return Stream.of(
                Arguments.of("a kubeconfig that does not exist", "kubeconfig: kubeconfig ", "kubeconfig: nowhere/config ",
                        "target.kubernetes.kubeconfig", "does not exist"),
                Arguments.of("a context the kubeconfig lacks", "context: staging ", "context: qa ",
                        "target.kubernetes.context", "is not in kubeconfig"),
                Arguments.of("a stable Deployment not in the manifests", "stable: shop ", "stable: shopp ",
                        "target.kubernetes.stable", "is not a Deployment of the manifests; they have [shop, shop-canary]"),
                Arguments.of("a canary Deployment not in the manifests", "canary: shop-canary ", "canary: web ",
                        "target.kubernetes.canary", "is not a Deployment of the manifests"),
                Arguments.of("an unknown traffic method", "traffic: httproute ", "traffic: istio ",
                        "target.kubernetes.traffic", "must be httproute, replicas or service, got 'istio'"),
                Arguments.of("an HTTPRoute method without a route", "route: shop ", "# route: shop ",
                        "target.kubernetes.route", "is missing; must name the HTTPRoute"),
                Arguments.of("a Service switch on a canary", "traffic: httproute ", "traffic: service ",
                        "target.kubernetes.traffic", "must be httproute or replicas for a canary"),
                Arguments.of("an unpinned image without digests", "digests: digests.yaml ", "# digests: none ",
                        "target.kubernetes.digests", "must pin every image to a digest"),
                Arguments.of("both a kubeconfig and inCluster", "inCluster: false ", "inCluster: true ",
                        "target.kubernetes.kubeconfig", "and inCluster: true exclude each other"),
                Arguments.of("a gate metric that is no Prometheus identifier", "metric: http_requests_total ",
                        "metric: \"up{job='x'}\" ", "gate.metric", "must be a Prometheus identifier"),
                Arguments.of("a VM field beside Kubernetes", "  kubernetes:\n", "  haproxy: {backend: app}\n  kubernetes:\n",
                        "target", "a target is either HAProxy VMs or Kubernetes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTargets")
    void aWrongTargetIsNamedWithItsFieldAndValue(String name, String from, String to, String field, String expected)
            throws Exception {
        Path file = spec(from, to);

        assertThatThrownBy(() -> SpecFile.read(file)).isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).problems()).anySatisfy(p -> {
                    assertThat(p.field()).isEqualTo(field);
                    assertThat(p.message()).contains(expected);
                }))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void everyProblemIsListedAtOnce() throws Exception {
        String text = Files.readString(spec(null, null)).replace("traffic: httproute ", "traffic: mesh ")
                .replace("namespace: shop ", "namespace: Shop_1 ").replace("metric: http_requests_total ", "metric: 1x ");
        Path file = rewrite(text);

        assertThatThrownBy(() -> SpecFile.read(file)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("3 problems").hasMessageContaining("target.kubernetes.namespace must be a DNS label")
                .hasMessageContaining("target.kubernetes.traffic must be httproute, replicas or service, got 'mesh'")
                .hasMessageContaining("gate.metric must be a Prometheus identifier");
    }
}
