package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * `rollback --to` and `diff` reach a Kubernetes record's namespace through a kubeconfig; bad connections change nothing.
 * Runs beside the other classes: it mostly waits out the client's retries against a closed port, in a directory of its own.
 */
@Execution(ExecutionMode.CONCURRENT)
class KubernetesRestoreCliTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "shop");
    private static final String TOKEN = "s3cr3t-t0ken";

    @TempDir
    Path work;

    private CliRun run(String... args) {
        return CliRun.of(Clock.systemUTC(), args);
    }

    private String store() {
        return work.resolve("records").toString();
    }

    @BeforeEach
    void recordABuildOfAKubernetesTarget() {
        CliRun recorded = run("record", "--store", store(), "--target", "shop-k8s", "--namespace", "shop",
                "--digests", EXAMPLE.resolve("digests.yaml").toString(), "--build", "shop#41",
                "--build-url", "https://ci.example.com/job/shop/41/", "--manifests",
                EXAMPLE.resolve("build-41/app.yaml") + "," + EXAMPLE.resolve("build-41/service.json"));
        assertThat(recorded.exit()).as(recorded.err()).isZero();
    }

    private Path kubeconfig(String server) throws Exception {
        return Files.writeString(work.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: staging
                  cluster: {server: "%s"}
                users:
                - name: jenkins
                  user: {token: "%s"}
                contexts:
                - name: staging
                  context: {cluster: staging, user: jenkins, namespace: shop}
                current-context: staging
                """.formatted(server, TOKEN));
    }

    @Test
    void aMissingKubeconfigIsExitTwoNamingItAndNothingIsLocked() {
        Path missing = work.resolve("nope.kubeconfig");

        CliRun restore = run("rollback", "--skip-digest-check", "--store", store(), "--to", "shop#41",
                "--kubeconfig", missing.toString());

        assertThat(restore.exit()).as(restore.err()).isEqualTo(2);
        assertThat(restore.err()).contains("kubernetes.kubeconfig").contains(missing.toString()).contains("does not exist");
        assertThat(work.resolve("locks")).doesNotExist();
    }

    @Test
    void aContextTheKubeconfigDoesNotHaveIsExitTwoListingTheOnesItHasWithoutCredentials() throws Exception {
        CliRun diff = run("diff", "--store", store(), "shop#41", "--kubeconfig",
                kubeconfig("https://127.0.0.1:6443").toString(), "--context", "production");

        assertThat(diff.exit()).as(diff.err()).isEqualTo(2);
        assertThat(diff.err()).contains("kubernetes.context 'production'").contains("[staging]").doesNotContain(TOKEN);
    }

    @Test
    void anUnreachableApiServerIsExitFiveAndNothingChanged() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        CliRun restore = run("rollback", "--skip-digest-check", "--store", store(), "--to", "shop#41", "--dry-run",
                "--kubeconfig", kubeconfig("https://127.0.0.1:" + closed).toString());

        assertThat(restore.exit()).as(restore.err()).isEqualTo(5);
        assertThat(restore.err()).contains("cannot read namespace shop through kubeconfig")
                .contains("nothing was changed").doesNotContain(TOKEN);
    }
}
