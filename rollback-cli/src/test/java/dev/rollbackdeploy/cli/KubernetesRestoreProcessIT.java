package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "Must show", through the packaged CLI in its own process against the fake API server:
 * `rollback --to` twice (the second run writes nothing, counted by the server), and drift made by a
 * direct API write reported by `status` and repaired by a restore of the newest record.
 *
 * <p>The two tests run side by side: each has a namespace of its own and counts writes only there.
 */
class KubernetesRestoreProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static FakeKubernetes cluster;

    @TempDir
    Path work;
    private CliProcess cli;
    private String store;
    private String kubeconfig;

    @BeforeAll
    static void startCluster() {
        cluster = new FakeKubernetes();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void setUp() {
        cli = CliProcess.packaged(work, FakeKubernetes.TOKEN);
        store = work.resolve("records").toString();
        kubeconfig = cluster.kubeconfig(work).toString();
    }

    /** The registries are not asked (loopback only here); the digest preflight has its own tests. */
    private CliProcess.Run rollbackTo(String build) {
        return cli.run("--json", "rollback", "--skip-digest-check", "--store", store, "--to", build, "--kubeconfig", kubeconfig);
    }

    private static JsonNode json(CliProcess.Run run) throws Exception {
        return JSON.readTree(run.out());
    }

    private Deployment web(String namespace) {
        return cluster.client().apps().deployments().inNamespace(namespace).withName("web").get();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void restoringTheGoodBuildTwiceWritesOnlyTheFirstTimeCountedByTheApiServer() throws Exception {
        String ns = "twice";
        cluster.namespace(ns);
        Releases.promoted(Path.of(store), "shop#41", "shop-twice", ns, cluster.api().url(),
                Releases.web(work, ns, Releases.DIGEST_1, "classic"), T0);

        CliProcess.Run first = rollbackTo("shop#41");

        assertThat(first.exit()).as(first.describe()).isZero();
        int firstWrites = cluster.writesIn(ns).size();
        assertThat(firstWrites).as("one server-side apply per object: %s", cluster.writesIn(ns)).isEqualTo(3);
        assertThat(json(first).path("writes").asInt()).as("the CLI's own count").isEqualTo(firstWrites);
        assertThat(web(ns).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/shop/web@" + Releases.DIGEST_1);
        assertThat(web(ns).getStatus().getReadyReplicas()).as("the restore waited until ready").isEqualTo(2);

        CliProcess.Run second = rollbackTo("shop#41");

        assertThat(second.exit()).as(second.describe()).isZero();
        assertThat(cluster.writesIn(ns)).as("API writes of the second run").hasSize(firstWrites);
        assertThat(json(second).path("writes").asInt()).isZero();
        assertThat(second.err()).contains("shop#41 is already live: 0 writes");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void driftFromDirectApiWritesIsReportedByStatusAndRepairedByRestoringTheNewestRecord() throws Exception {
        String ns = "drift";
        cluster.namespace(ns);
        Releases.promoted(Path.of(store), "shop#41", "shop-drift", ns, cluster.api().url(),
                Releases.web(work, ns, Releases.DIGEST_1, "classic"), T0);
        Releases.promoted(Path.of(store), "shop#42", "shop-drift", ns, cluster.api().url(),
                Releases.web(work, ns, Releases.DIGEST_2, "one-click"), T0.plusSeconds(3600));
        CliProcess.Run deployed = rollbackTo("shop#42");
        assertThat(deployed.exit()).as(deployed.describe()).isZero();
        CliProcess.Run clean = cli.run("--json", "status", "--store", store, "--target", "shop-drift", "--kubeconfig", kubeconfig);
        assertThat(clean.exit()).as(clean.describe()).isZero();
        assertThat(json(clean).path("inSync").asBoolean()).as(clean.describe()).isTrue();
        assertThat(json(clean).path("against").asText()).isEqualTo("shop#42");

        // kubectl set image and kubectl edit, between builds
        cluster.client().apps().deployments().inNamespace(ns).withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/shop/web:hotfix");
            return d;
        });
        cluster.client().configMaps().inNamespace(ns).withName("web-settings").edit(c -> {
            c.getData().put("TIMEOUT_MS", "9000");
            return c;
        });
        int before = cluster.writesIn(ns).size();

        CliProcess.Run drift = cli.run("status", "--store", store, "--target", "shop-drift", "--kubeconfig", kubeconfig);

        assertThat(drift.exit()).as(drift.describe()).isZero();
        assertThat(drift.out()).as(drift.describe()).contains("DRIFT: live differs from the record of shop#42")
                .contains("Deployment.apps/" + ns + "/web").contains("image").contains("registry.example/shop/web:hotfix")
                .contains("ConfigMap/" + ns + "/web-settings").contains("data.TIMEOUT_MS").contains("9000")
                .doesNotContain("Service/" + ns + "/web");
        assertThat(cluster.writesIn(ns)).as("status only reads").hasSize(before);

        CliProcess.Run repair = rollbackTo("shop#42");

        assertThat(repair.exit()).as(repair.describe()).isZero();
        assertThat(FakeKubernetes.paths(cluster.writesIn(ns).subList(before, cluster.writesIn(ns).size())))
                .as("only the drifted objects").containsExactlyInAnyOrder(
                        "/apis/apps/v1/namespaces/" + ns + "/deployments/web",
                        "/api/v1/namespaces/" + ns + "/configmaps/web-settings");
        assertThat(web(ns).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/shop/web@" + Releases.DIGEST_2);
        CliProcess.Run repaired = cli.run("status", "--store", store, "--target", "shop-drift", "--kubeconfig", kubeconfig);
        assertThat(repaired.exit()).as(repaired.describe()).isZero();
        assertThat(repaired.out()).as(repaired.describe()).contains("in sync: live matches the record of shop#42");
    }
}
