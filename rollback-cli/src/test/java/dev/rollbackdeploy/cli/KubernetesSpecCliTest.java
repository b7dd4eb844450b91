package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rollback deploy --spec} with a Kubernetes target described wrongly: exit 2 naming the field, the
 * value and what would be right, before any lock (or API call: the kubeconfig's server does not exist).
 */
class KubernetesSpecCliTest {

    @TempDir
    Path dir;

    @BeforeEach
    void example() throws Exception {
        Path examples = Path.of("..", "docs", "examples");
        Files.createDirectories(dir.resolve("build-43"));
        for (String file : new String[] {"build-43/app.yaml", "build-43/service.json", "digests.yaml"}) {
            Files.copy(examples.resolve(file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: staging, cluster: {server: "https://127.0.0.1:9"}}]
                users: [{name: me, user: {token: "s3cret-token"}}]
                contexts: [{name: staging, context: {cluster: staging, user: me}}, {name: prod, context: {cluster: staging, user: me}}]
                current-context: prod
                """);
    }

    private Path spec(String from, String to) throws Exception {
        String text = Files.readString(Path.of("..", "docs", "examples", "kubernetes.yaml"))
                .replace("/home/me/.kube/config", "kubeconfig");
        if (!text.contains(from)) {
            throw new AssertionError("the example has no '" + from + "'");
        }
        return Files.writeString(dir.resolve("k8s.yaml"), text.replace(from, to));
    }

    static Stream<Arguments> wrongTargets() {
        return Stream.of(
                Arguments.of("a kubeconfig that does not exist", "kubeconfig: kubeconfig ", "kubeconfig: nowhere ",
                        "target.kubernetes.kubeconfig does not exist; it must be a kubeconfig file, got '"),
                Arguments.of("a context the kubeconfig lacks", "context: staging ", "context: qa ",
                        "target.kubernetes.context is not in kubeconfig"),
                Arguments.of("a workload missing from the manifests", "canary: shop-canary ", "canary: shop-green ",
                        "target.kubernetes.canary is not a Deployment of the manifests; they have [shop, shop-canary]"),
                Arguments.of("a spec mixing VM and Kubernetes fields", "  kubernetes:\n",
                        "  haproxy: {sockets: [/run/haproxy/admin.sock]}\n  kubernetes:\n",
                        "a target is either HAProxy VMs or Kubernetes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTargets")
    void aWrongKubernetesTargetExitsTwoBeforeTheLock(String name, String from, String to, String message) throws Exception {
        CliRun run = CliRun.of(Clock.systemUTC(), "deploy", "--store", dir.resolve("records").toString(), "--spec",
                spec(from, to).toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("s3cret").doesNotContain("\tat ");
        assertThat(dir.resolve("locks")).as("no lock was taken").doesNotExist();
        assertThat(dir.resolve("records")).doesNotExist();
    }
}
