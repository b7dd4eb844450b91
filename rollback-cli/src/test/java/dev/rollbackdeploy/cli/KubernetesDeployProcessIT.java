package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "Must show": `deploy --spec` on Kubernetes through the packaged CLI process, against the
 * fake API server (the test-side controller settles Deployments) and a real Prometheus scraping a
 * per-workload request counter the test serves. A good build is promoted and finished (stable on the
 * new template, canary at 0, read back from the API); a bad one is rolled back by the gate with the
 * traffic put back on stable before the canary loses its pods (the request log's order); a SIGTERM
 * mid-rollout puts the traffic on stable first; a staging drill of a faulty candidate passes.
 *
 * <p>The tests run side by side (two at a time on a 2-core machine): each waits mostly on its gate's
 * looks a second apart, and each has a namespace, counters and a directory of its own; they read the
 * shared request log only for their own namespace, from their own starting point.
 */
@ExtendWith(SharedWorkloadMetrics.class)
class KubernetesDeployProcessIT {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String DIGEST_42 = "sha256:" + "42".repeat(32);
    private static final String DIGEST_43 = "sha256:" + "43".repeat(32);
    private static final String DIGEST_44 = "sha256:" + "44".repeat(32);
    private static final double HEALTHY = 0.002;
    private static FakeKubernetes cluster;
    private static WorkloadCounters counters;
    private static LocalPrometheus prometheus;

    @TempDir
    Path work;
    private CliProcess cli;
    private Path store;

    @BeforeAll
    static void start(SharedWorkloadMetrics.Metrics metrics) {
        cluster = new FakeKubernetes();
        counters = metrics.counters();
        prometheus = metrics.prometheus();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void setUp() {
        cli = CliProcess.packaged(work, FakeKubernetes.TOKEN);
        store = work.resolve("records");
        cluster.kubeconfig(work);
    }

    /** Build 42 live in {@code ns} as its record says (restored through the CLI), serving healthily. */
    private void build42Live(String ns) throws Exception {
        cluster.namespace(ns);
        counters.serve(ns, "shop", HEALTHY);
        counters.serve(ns, "shop-canary", HEALTHY);
        Releases.promoted(store, "shop#42", "shop-k8s", ns, cluster.api().url(),
                work.resolve(Releases.canaryRelease(work, ns, 42, DIGEST_42)), T0);
        CliProcess.Run restored = cli.run("rollback", "--skip-digest-check", "--store", store.toString(), "--to", "shop#42",
                "--kubeconfig", work.resolve("kubeconfig").toString());
        assertThat(restored.exit()).as(restored.describe()).isZero();
    }

    private CliProcess.Run deploy(String ns, int build, String digest) throws Exception {
        Path spec = Releases.canarySpec(work, build, ns, Releases.canaryRelease(work, ns, build, digest), "shop",
                prometheus.baseUrl(), "");
        return cli.run("deploy", "--store", store.toString(), "--spec", spec.toString());
    }

    /** The deploy's own API writes (the restore of build 42 before it left out), for docs/benchmarks.md. */
    private static void printWrites(String what, List<FakeApiServer.Seen> writes) {
        System.out.printf("FIGURE deploy through the CLI process, %s: %d API writes: %s%n", what, writes.size(),
                FakeKubernetes.paths(writes).stream().map(p -> p.replaceAll(".*/namespaces/[^/]+/", "")).toList());
    }

    private Deployment deployment(String ns, String name) {
        return cluster.client().apps().deployments().inNamespace(ns).withName(name).get();
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> routeBackends(String ns) {
        GenericKubernetesResource route = cluster.client().genericKubernetesResources("gateway.networking.k8s.io/v1",
                "HTTPRoute").inNamespace(ns).withName("shop").get();
        Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
        return (List<Map<String, Object>>) rules.get(0).get("backendRefs");
    }

    /** Whether the route sends the canary Service anything. */
    private boolean canaryGetsTraffic(String ns) {
        return routeBackends(ns).stream().anyMatch(b -> "shop-canary".equals(b.get("name"))
                && ((Number) b.getOrDefault("weight", 1)).intValue() > 0);
    }

    private DeploymentRecord record(String build) throws Exception {
        return new FileRecordStore(store).load(BuildRef.parse(build));
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aGoodBuildIsPromotedAndFinishedStableOnTheNewTemplateCanaryAtZeroAndStatusInSync() throws Exception {
        String ns = "good";
        build42Live(ns);
        int before = cluster.writesIn(ns).size();

        CliProcess.Run deployed = deploy(ns, 43, DIGEST_43);

        assertThat(deployed.exit()).as(deployed.describe() + "\n" + cluster.controllerHealth()).isZero();
        printWrites("good build promoted, canary 10/50/100", cluster.writesIn(ns).subList(before, cluster.writesIn(ns).size()));
        assertThat(deployed.out()).as(deployed.describe()).contains("shop#43: PROMOTED");
        assertThat(image(deployment(ns, "shop"))).isEqualTo("registry.example/shop@" + DIGEST_43);
        assertThat(deployment(ns, "shop").getSpec().getReplicas()).isEqualTo(4);
        assertThat(deployment(ns, "shop-canary").getSpec().getReplicas()).isZero();
        assertThat(canaryGetsTraffic(ns)).as("route %s", routeBackends(ns)).isFalse();
        assertThat(record("shop#43").outcome().status()).isEqualTo(Outcome.Status.PROMOTED);

        CliProcess.Run status = cli.run("status", "--store", store.toString(), "--target", "shop-k8s", "--kubeconfig",
                work.resolve("kubeconfig").toString());
        assertThat(status.exit()).as(status.describe()).isZero();
        assertThat(status.out()).as(status.describe()).contains("in sync: live matches the record of shop#43");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aBadBuildIsRolledBackByTheGateWithTrafficOnStableBeforeTheCanaryLosesItsPods() throws Exception {
        String ns = "bad";
        build42Live(ns);
        counters.serve(ns, "shop-canary", 0.30);
        // The deploy's own writes from here on (the log is shared with the tests running beside this one).
        int before = cluster.writesIn(ns).size();

        CliProcess.Run deployed = deploy(ns, 44, DIGEST_44);
        List<FakeApiServer.Seen> writes = cluster.writesIn(ns).subList(before, cluster.writesIn(ns).size());

        assertThat(deployed.exit()).as("exit 3: the gate failed and the deployment was rolled back\n"
                + deployed.describe()).isEqualTo(3);
        printWrites("bad build aborted by the gate at 10%", writes);
        Outcome outcome = record("shop#44").outcome();
        // A canary the gate stops is ABORTED in the engine's words (ROLLED_BACK names a restore of another build).
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(outcome.reason()).contains("the gate said roll back").contains("canary error rate is above baseline");
        assertThat(deployed.out()).as(deployed.describe()).contains("shop#44: " + outcome.status());
        assertThat(image(deployment(ns, "shop"))).as("stable never left build 42")
                .isEqualTo("registry.example/shop@" + DIGEST_42);
        assertThat(deployment(ns, "shop-canary").getSpec().getReplicas()).isZero();
        assertThat(canaryGetsTraffic(ns)).as("route %s", routeBackends(ns)).isFalse();
        List<String> moves = FakeKubernetes.paths(writes.stream()
                .filter(w -> w.path().contains("/httproutes/shop") || w.path().contains("/deployments/shop-canary"))
                .toList());
        assertThat(moves).as("writes to the route and the canary, in order").hasSizeGreaterThanOrEqualTo(3);
        assertThat(moves.subList(moves.size() - 2, moves.size())).as("abort: traffic first, then the canary's pods")
                .containsExactly("/apis/gateway.networking.k8s.io/v1/namespaces/" + ns + "/httproutes/shop",
                        "/apis/apps/v1/namespaces/" + ns + "/deployments/shop-canary");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aDrillOfAFaultyCandidatePassesWhenTheGateRollsItBackAndStableServesTheLastPromotedBuild() throws Exception {
        String ns = "drill";
        build42Live(ns);
        counters.serve(ns, "shop-canary", 0.30);
        Path spec = Releases.canarySpec(work, 46, ns, Releases.canaryRelease(work, ns, 46, DIGEST_44), "shop",
                prometheus.baseUrl(), "");
        Path report = work.resolve("drill.html");

        CliProcess.Run drill = cli.run("drill", "--spec", spec.toString(), "--store", store.toString(), "--report",
                report.toString(), "--verdict-slo", "PT60S");

        assertThat(drill.exit()).as(drill.describe()).isZero();
        assertThat(report).isNotEmptyFile();
        assertThat(image(deployment(ns, "shop"))).isEqualTo("registry.example/shop@" + DIGEST_42);
        assertThat(canaryGetsTraffic(ns)).as("route %s", routeBackends(ns)).isFalse();
        assertThat(record("shop#46").outcome().status()).isEqualTo(Outcome.Status.ABORTED);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void sigtermMidRolloutPutsTrafficBackOnStableFirstAndRecordsTheAbort() throws Exception {
        String ns = "stop";
        build42Live(ns);
        counters.serve(ns, "shop-canary", HEALTHY);
        Path spec = Releases.canarySpec(work, 45, ns, Releases.canaryRelease(work, ns, 45, DIGEST_43), "shop",
                prometheus.baseUrl(), "");
        // Looks every 5 s: the rollout is still at its first step when the signal comes.
        Files.writeString(spec, Files.readString(spec).replace("interval: 1s", "interval: 5s"));
        CliProcess.Running running = cli.start("deploy", "--store", store.toString(), "--spec", spec.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!canaryGetsTraffic(ns)) {
            assertThat(System.nanoTime()).as("the canary never got traffic; the deploy printed:\n%s", running.errSoFar())
                    .isLessThan(deadline);
            Thread.sleep(100); // a separate process: nothing to wait on but the API
        }
        int before = cluster.writesIn(ns).size();

        running.terminate();
        CliProcess.Run stopped = running.await();

        assertThat(stopped.exit()).as("128 + SIGTERM, the JVM's exit on a signal\n" + stopped.describe()).isEqualTo(143);
        assertThat(stopped.err()).as(stopped.describe()).contains("interrupted: putting all new requests back on stable");
        assertThat(canaryGetsTraffic(ns)).as("route %s", routeBackends(ns)).isFalse();
        assertThat(FakeKubernetes.paths(cluster.writesIn(ns).subList(before, cluster.writesIn(ns).size())))
                .as("after the signal: the traffic first").first()
                .isEqualTo("/apis/gateway.networking.k8s.io/v1/namespaces/" + ns + "/httproutes/shop");
        Outcome outcome = record("shop#45").outcome();
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(outcome.reason()).contains("interrupted by a signal");
        assertThat(image(deployment(ns, "shop"))).isEqualTo("registry.example/shop@" + DIGEST_42);
    }
}
