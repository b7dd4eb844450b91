package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalFlagWebhook;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * `rollback deploy --spec` with a kill switch on a Kubernetes canary, through the packaged CLI process:
 * the fake API server with the test-side controller, a real Prometheus scraping a faulty canary, and an
 * in-house flag service (a webhook). In instead-of-traffic mode the gate's rollback turns the flag off
 * and the route keeps sending the canary its share; the record and the output say so.
 *
 * <p>Runs beside the other IT classes (at most two tests at a time in all): it waits mostly on its gate's
 * looks, in a cluster, namespace and directory of its own.
 */
@ExtendWith(SharedWorkloadMetrics.class)
@Execution(ExecutionMode.CONCURRENT)
class KubernetesKillSwitchProcessIT {

    private static final String DIGEST_42 = "sha256:" + "42".repeat(32);
    private static final String DIGEST_47 = "sha256:" + "47".repeat(32);
    private static final double HEALTHY = 0.002;
    private static FakeKubernetes cluster;
    private static WorkloadCounters counters;
    private static LocalPrometheus prometheus;

    @TempDir
    Path work;

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

    @Test
    void insteadOfTrafficTheGatesRollbackTurnsTheFlagOffAndTheRouteKeepsTheCanarysShare() throws Exception {
        String ns = "flags";
        CliProcess cli = CliProcess.packaged(work, FakeKubernetes.TOKEN);
        Path store = work.resolve("records");
        cluster.kubeconfig(work);
        cluster.namespace(ns);
        counters.serve(ns, "shop", HEALTHY);
        counters.serve(ns, "shop-canary", 0.30);
        Releases.promoted(store, "shop#42", "shop-k8s", ns, cluster.api().url(),
                work.resolve(Releases.canaryRelease(work, ns, 42, DIGEST_42)), Instant.parse("2026-12-01T10:00:00Z"));
        CliProcess.Run restored = cli.run("rollback", "--skip-digest-check", "--store", store.toString(), "--to", "shop#42",
                "--kubeconfig", work.resolve("kubeconfig").toString());
        assertThat(restored.exit()).as(restored.describe()).isZero();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (LocalFlagWebhook flags = new LocalFlagWebhook(events)) {
            flags.set("new-checkout", true);
            Path spec = Releases.canarySpec(work, 47, ns, Releases.canaryRelease(work, ns, 47, DIGEST_47), "shop",
                    prometheus.baseUrl(), "");
            Files.writeString(spec, Files.readString(spec) + """
                    flags:
                      provider: webhook
                      url: %s
                      turnOff: [new-checkout]
                      mode: instead-of-traffic
                    """.formatted(flags.url()));

            CliProcess.Run deployed = cli.run("deploy", "--store", store.toString(), "--spec", spec.toString());

            assertThat(deployed.exit()).as("exit 3: the gate failed\n" + deployed.describe()).isEqualTo(3);
            assertThat(flags.enabled("new-checkout")).isFalse();
            assertThat(events).containsExactly("flag new-checkout off");
        }
        assertThat(canaryWeight(ns)).as("the route still gives the canary its first step's share").isEqualTo(10);
        DeploymentRecord record = new FileRecordStore(store).load(BuildRef.parse("shop#47"));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.outcome().reason()).contains("the gate said roll back", "INSTEAD of moving traffic",
                "still carries 10%");
        assertThat(record.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"new-checkout\"}");
        assertThat(cluster.client().apps().deployments().inNamespace(ns).withName("shop-canary").get().getSpec()
                .getReplicas()).as("the canary keeps its pods").isPositive();
    }

    /** The canary Service's weight in the route's backends, as the route holds it. */
    @SuppressWarnings("unchecked")
    private static int canaryWeight(String ns) {
        GenericKubernetesResource route = cluster.client().genericKubernetesResources("gateway.networking.k8s.io/v1",
                "HTTPRoute").inNamespace(ns).withName("shop").get();
        Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
        return ((List<Map<String, Object>>) rules.get(0).get("backendRefs")).stream()
                .filter(b -> "shop-canary".equals(b.get("name")))
                .mapToInt(b -> ((Number) b.getOrDefault("weight", 1)).intValue()).sum();
    }
}
