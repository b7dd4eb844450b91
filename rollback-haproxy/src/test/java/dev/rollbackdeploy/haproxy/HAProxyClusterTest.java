package dev.rollbackdeploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanExecutor;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A VM target's release is its traffic split: recorded, compared and restored on real HAProxy processes. */
class HAProxyClusterTest {

    private static final HAProxyBackend APP = new HAProxyBackend(LocalHAProxy.BACKEND, List.of("stable1", "stable2"),
            List.of("canary1"));

    private final Backends backends = new Backends();
    private LocalHAProxy first;
    private LocalHAProxy second;

    @BeforeEach
    void start() throws Exception {
        List<LocalHAProxy.Server> servers = List.of(backends.start("stable1", 100), backends.start("stable2", 100),
                backends.start("canary1", 0));
        first = LocalHAProxy.start(servers);
        second = LocalHAProxy.start(servers);
    }

    @AfterEach
    void stop() {
        second.close();
        first.close();
        backends.close();
    }

    private HAProxyCluster cluster() {
        return new HAProxyCluster(new HAProxyTrafficRouter(APP, List.of(api(first), api(second))));
    }

    private static RuntimeApi api(LocalHAProxy haproxy) {
        return new RuntimeApiClient(haproxy.adminSocket().toString(), Duration.ofSeconds(2));
    }

    @Test
    void liveWeightsAreRecordedDividedByTheirGreatestCommonDivisor() throws Exception {
        ManifestSet live = cluster().observe().objects();

        assertThat(live.objects()).singleElement().extracting(CanonicalObject::canonicalJson)
                .isEqualTo("{\"apiVersion\":\"rollback-deploy.io/v1\",\"kind\":\"HAProxyBackend\",\"metadata\":{\"name\":\"app\"},"
                        + "\"spec\":{\"backend\":\"app\",\"canary\":{\"canary1\":0},\"stable\":{\"stable1\":1,\"stable2\":1}}}");
        HAProxyCluster.Recorded read = HAProxyCluster.read(live.objects().get(0));
        assertThat(read.backend()).isEqualTo(APP);
        assertThat(read.weights()).isEqualTo(Map.of("stable1", 1, "stable2", 1, "canary1", 0));
    }

    @Test
    void restoringARecordedSplitWritesItOnceThenNothing() throws Exception {
        HAProxyCluster cluster = cluster();
        cluster.router().setCanaryWeight(Weight.of(25));
        ManifestSet recorded = cluster.observe().objects();
        cluster.router().setCanaryWeight(Weight.ALL);

        Plan plan = new RestorePlanner().plan(recorded, cluster.observe(), RestoreOptions.SAFE);
        assertThat(plan.actions()).singleElement().isInstanceOf(Action.Apply.class);
        run(plan, cluster);

        assertThat(cluster.writes()).isEqualTo(1);
        assertThat(cluster.observe().objects()).isEqualTo(recorded);
        assertThat(new HAProxyTrafficRouter(APP, List.of(api(second))).canaryWeight()).isEqualTo(Weight.of(25));
        assertThat(new RestorePlanner().plan(recorded, cluster.observe(), RestoreOptions.SAFE).isEmpty())
                .as("a second restore has nothing to do").isTrue();
    }

    @Test
    void loadBalancersThatDisagreeNeverMatchARecordAndARestoreAlignsThemAll() throws Exception {
        HAProxyCluster cluster = cluster();
        ManifestSet recorded = cluster.observe().objects();
        new HAProxyTrafficRouter(APP, List.of(api(second))).setCanaryWeight(Weight.of(50));

        ManifestSet live = cluster.observe().objects();
        assertThat(live.objects().get(0).canonicalJson()).contains("\"loadBalancers\":{")
                .contains("\"" + first.adminSocket() + "\":{\"canary1\":0,")
                .contains("\"" + second.adminSocket() + "\":{\"canary1\":2,");
        assertThat(live).isNotEqualTo(recorded);

        run(new RestorePlanner().plan(recorded, cluster.observe(), RestoreOptions.SAFE), cluster);

        assertThat(cluster.observe().objects()).isEqualTo(recorded);
        assertThat(new HAProxyTrafficRouter(APP, List.of(api(second))).canaryWeight()).isEqualTo(Weight.NONE);
    }

    @Test
    void anObjectForAnotherBackendOrWithABadWeightIsRefusedNamingTheField() throws Exception {
        HAProxyBackend other = new HAProxyBackend("app", List.of("stable1"), List.of("canary1", "stable2"));
        CanonicalObject wrongRoles = HAProxyCluster.backendObject(other, Map.of("stable1", 1, "stable2", 0, "canary1", 0));
        assertThatThrownBy(() -> cluster().apply(wrongRoles)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is for backend");

        String json = HAProxyCluster.backendObject(APP, Map.of("stable1", 1, "stable2", 1, "canary1", 0)).canonicalJson()
                .replace("\"canary1\":0", "\"canary1\":300");
        CanonicalObject bad = CanonicalObject.of(HAProxyCluster.key("app"), HAProxyCluster.API_VERSION, json);
        assertThatThrownBy(() -> HAProxyCluster.read(bad)).hasMessage(
                "spec.canary.canary1 of HAProxyBackend.rollback-deploy.io/app must be a weight from 0 to 256, got 300");
        assertThat(cluster().observe().objects().objects().get(0).canonicalJson()).contains("\"canary1\":0");
    }

    @Test
    void backendNamesThatAreNotObjectNamesGetAStableDerivedName() {
        assertThat(HAProxyCluster.objectName("app")).isEqualTo("app");
        assertThat(HAProxyCluster.objectName("be_App")).matches("be-app-[0-9a-f]{8}")
                .isNotEqualTo(HAProxyCluster.objectName("be-app"));
        HAProxyBackend odd = new HAProxyBackend("be_App", List.of("s1"), List.of("c1"));
        assertThat(HAProxyCluster.read(HAProxyCluster.backendObject(odd, Map.of("s1", 3, "c1", 0))).backend()).isEqualTo(odd);
    }

    private static void run(Plan plan, HAProxyCluster cluster) throws Exception {
        PlanExecutor executor = new PlanExecutor(cluster, null, Duration.ofSeconds(5));
        PlanExecutor.Progress progress = executor.begin(plan);
        while (!progress.isDone(plan)) {
            progress = executor.step(plan, progress, Instant.now()).progress();
        }
    }
}
