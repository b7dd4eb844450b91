package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 10, bad input through the packaged CLI process: a kubeconfig that does not exist, a context
 * it lacks, a namespace the cluster lacks (for `rollback --to` and `status`), a deploy spec naming a
 * workload its manifests lack or mixing HAProxy and Kubernetes fields — each exit 2 naming the field
 * and the value, before any lock, with zero API writes (counted by the fake API server).
 *
 * <p>The cases run two at a time (each a process of its own; what they wait on is its start). Nothing
 * in this class may write to the API, so each case asserts that the server's log has no write at all,
 * not only none since it began: the log is never cleared, and a write by either case fails it.
 */
class KubernetesBadInputProcessIT {

    private static final String NAMESPACE = "shop";
    private static FakeKubernetes cluster;

    @TempDir
    Path work;
    private CliProcess cli;
    private Path store;
    private Path kubeconfig;

    @BeforeAll
    static void startCluster() {
        cluster = new FakeKubernetes();
        cluster.namespace(NAMESPACE);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void recordBuilds() throws Exception {
        cli = CliProcess.packaged(work, FakeKubernetes.TOKEN);
        store = work.resolve("records");
        kubeconfig = cluster.kubeconfig(work);
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        Releases.promoted(store, "shop#41", "shop-k8s", NAMESPACE, cluster.api().url(),
                Releases.web(work, NAMESPACE, Releases.DIGEST_1, "classic"), t0);
        Releases.promoted(store, "gone#7", "gone-k8s", "gone", cluster.api().url(),
                Releases.web(work, "gone", Releases.DIGEST_1, "classic"), t0);
    }

    /** What was wrong, the command's connection options, and what the message must name. */
    record Case(String build, String target, Function<Path, List<String>> connection, List<String> message) {
    }

    static Stream<Arguments> badInputs() {
        Case missingKubeconfig = new Case("shop#41", "shop-k8s",
                dir -> List.of("--kubeconfig", dir.resolve("no-such.kubeconfig").toString()),
                List.of("kubernetes.kubeconfig", "no-such.kubeconfig", "does not exist"));
        Case unknownContext = new Case("shop#41", "shop-k8s",
                dir -> List.of("--kubeconfig", dir.resolve("kubeconfig").toString(), "--context", "production"),
                List.of("kubernetes.context 'production'", "[" + FakeKubernetes.CONTEXT + "]"));
        Case missingNamespace = new Case("gone#7", "gone-k8s",
                dir -> List.of("--kubeconfig", dir.resolve("kubeconfig").toString()),
                List.of("kubernetes.namespace 'gone' does not exist", "create it first or name an existing one"));
        List<Arguments> rows = new ArrayList<>();
        for (String command : List.of("rollback", "status")) {
            rows.add(Arguments.of(command, Named.of("a kubeconfig that does not exist", missingKubeconfig)));
            rows.add(Arguments.of(command, Named.of("a context the kubeconfig lacks", unknownContext)));
            rows.add(Arguments.of(command, Named.of("a namespace the cluster lacks", missingNamespace)));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInputs")
    @Execution(ExecutionMode.CONCURRENT)
    void isExitTwoNamingFieldAndValueWithZeroApiWritesAndNoLock(String command, Case bad) {
        List<String> args = new ArrayList<>(command.equals("rollback")
                ? List.of("rollback", "--skip-digest-check", "--store", store.toString(), "--to", bad.build())
                : List.of("status", "--store", store.toString(), "--target", bad.target()));
        args.addAll(bad.connection().apply(work));

        CliProcess.Run run = cli.run(args.toArray(String[]::new));

        assertThat(run.exit()).as(run.describe()).isEqualTo(2);
        assertThat(run.err()).as(run.describe()).startsWith("error: ");
        bad.message().forEach(part -> assertThat(run.err()).as(run.describe()).contains(part));
        assertThat(cluster.api().writes()).as("API writes").isEmpty();
        assertThat(Files.exists(work.resolve("locks"))).as("a lock was taken before the input was checked").isFalse();
        assertThat(run.out()).isEmpty();
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.sorted().toList();
        }
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of(Named.of("a stable workload the manifests lack", "shop-api"), "",
                        List.of("target.kubernetes.stable is not a Deployment of the manifests", "got 'shop-api'",
                                "[shop, shop-canary]")),
                Arguments.of(Named.of("target.haproxy beside target.kubernetes", "shop"), """
                        haproxy:
                          sockets: [/run/haproxy/admin.sock]
                          backend: app
                          stable: [stable1]
                          canary: [canary1]
                        """, List.of("target", "has both haproxy and kubernetes fields", "give target.haproxy or"
                                + " target.kubernetes")));
    }

    @ParameterizedTest(name = "deploy: {0}")
    @MethodSource("badSpecs")
    @Execution(ExecutionMode.CONCURRENT)
    void aBadDeploySpecIsExitTwoNamingFieldAndValueWithZeroApiWritesNoLockAndNoRecord(String stable, String moreTarget,
            List<String> message) throws Exception {
        String manifests = Releases.canaryRelease(work, NAMESPACE, 43, Releases.DIGEST_2);
        Path spec = Releases.canarySpec(work, 43, NAMESPACE, manifests, stable, "http://127.0.0.1:9/", moreTarget);
        List<Path> before = files(store);

        CliProcess.Run run = cli.run("deploy", "--store", store.toString(), "--spec", spec.toString());

        assertThat(run.exit()).as(run.describe()).isEqualTo(2);
        message.forEach(part -> assertThat(run.err()).as(run.describe()).contains(part));
        assertThat(cluster.api().writes()).as("API writes").isEmpty();
        assertThat(Files.exists(work.resolve("locks"))).as("a lock was taken before the spec was checked").isFalse();
        assertThat(files(store)).as("records").isEqualTo(before);
    }
}
