package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door's deploy on Kubernetes: the fake API server with its controllers, and a real Prometheus
 * scraping a per-workload request counter this test serves (a good build: few 5xx; a bad one: many).
 * Write counts come from the API server's request log.
 */
class KubernetesDeploymentTest {

    private static final String OLD = KubernetesShop.OLD;
    private static final String NEW = KubernetesShop.NEW;

    private static WorkloadCounters metrics;
    private static LocalPrometheus prometheus;

    @TempDir
    Path dir;

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private KubernetesShop shop;
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;

    @BeforeAll
    static void startPrometheus() throws Exception {
        metrics = new WorkloadCounters();
        metrics.serve("shop", "web", 0.005);
        metrics.serve("shop", "web-canary", 0.005);
        metrics.serve("shop", "bg-green", 0.005);
        prometheus = LocalPrometheus.scraping(metrics.port());
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.close();
        metrics.close();
    }

    @BeforeEach
    void previousBuildIsLive() throws Exception {
        shop = KubernetesShop.start(dir);
        server = shop.server;
        client = shop.client;
        controllerClient = shop.controllerClient;
    }

    @AfterEach
    void stop() throws Exception {
        shop.close();
    }

    private DeploymentSpec spec(String build) throws InvalidSpecException {
        return shop.canary(build, prometheus.baseUrl());
    }

    private OperationContext context() {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), lines::add);
    }

    private List<String> writes() {
        return shop.writes();
    }

    private String image(String deployment) {
        return shop.image(deployment);
    }

    private int replicas(String deployment) {
        return shop.replicas(deployment);
    }

    private Weight canaryShare() throws Exception {
        return shop.canaryShare();
    }

    private DeploymentRecord stored(String build) throws Exception {
        return context().records().load(BuildRef.parse(build));
    }

    @Test
    void aGoodBuildIsPromotedWithStableOnTheNewTemplateAndTheCanaryAtZeroThenADrillAndDriftAreSeen() throws Exception {
        metrics.serve("shop", "web-canary", 0.005);
        DeploymentSpec spec = spec("shop#43");

        Deployment.Finished finished;
        try (Deployment deployment = Deployment.of(spec, context())) {
            finished = deployment.runToEnd(state -> { });
        }

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.PROMOTED);
        assertThat(image("web")).isEqualTo(NEW);
        assertThat(replicas("web")).isEqualTo(4);
        assertThat(replicas("web-canary")).isZero();
        assertThat(canaryShare()).isEqualTo(Weight.NONE);
        DeploymentRecord record = stored("shop#43");
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.PROMOTED);
        assertThat(record.manifests()).isEqualTo(spec.kubernetes().release());
        assertThat(record.workloads()).isNotEmpty().allSatisfy(w -> assertThat(w.digest().toString()).startsWith("sha256:b"));
        assertThat(record.gateEvidence()).isNotEmpty();
        assertThat(lines).noneMatch(l -> l.contains("t0ken"));
        System.out.printf("FIGURE front-door Kubernetes canary [50, 100] promoted: %d writes: %s%n", writes().size(), writes());

        // A drill against this staging namespace: a faulty candidate must be rolled back on its own.
        metrics.serve("shop", "web-canary", 0.4);
        StagingDrill.Verdict drill;
        try {
            drill = Drill.staging(spec("shop#44"), context(), Duration.ofSeconds(60));
        } finally {
            metrics.serve("shop", "web-canary", 0.005);
        }
        assertThat(drill.passed()).as(drill.figures() + "\n" + String.join("\n", lines)).isTrue();
        assertThat(drill.previous()).isEqualTo(BuildRef.parse("shop#43"));
        assertThat(stored("shop#44").outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(image("web")).as("stable still runs the promoted build").isEqualTo(NEW);

        // Someone sets stable's image by hand; the next deploy says so before it starts.
        client.apps().deployments().inNamespace("shop").withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/web:hotfix");
            return d;
        });
        try (Deployment next = Deployment.of(spec("shop#45"), context())) {
            next.begin();
        }
        assertThat(lines).anyMatch(l -> l.startsWith("WARNING:") && l.contains("web"));
    }

    @Test
    void aBadBuildIsRolledBackTrafficFirstAndTheRecordSaysSo() throws Exception {
        metrics.serve("shop", "web-canary", 0.4);
        DeploymentSpec spec = spec("shop#43");
        Deployment.Finished finished = null;
        try {
            String saved;
            try (Deployment first = Deployment.of(spec, context())) {
                saved = first.begin().encode();
            }
            // As a Jenkins step does it: every round in a fresh object, from the state's string.
            for (int round = 0; round < 500 && finished == null; round++) {
                try (Deployment fresh = Deployment.of(spec, context())) {
                    Deployment.Round r = fresh.advance(DeployState.decode(saved));
                    assertThat(saved.length()).isLessThan(7 * 1024);
                    saved = r.state().encode();
                    if (r.isFinished()) {
                        finished = r.finished();
                    } else {
                        Thread.sleep(Math.max(0, Duration.between(Instant.now(), r.callAgainAt()).toMillis()));
                    }
                }
            }
        } finally {
            metrics.serve("shop", "web-canary", 0.005);
        }

        assertThat(finished).as(String.join("\n", lines)).isNotNull();
        assertThat(finished.status()).isEqualTo(Deployment.Status.ABORTED);
        List<String> writes = writes();
        int back = writes.lastIndexOf("PATCH httproutes/web");
        assertThat(writes.subList(back, writes.size())).as("traffic on stable first, then the canary to 0")
                .containsExactly("PATCH httproutes/web", "PATCH deployments/web-canary");
        assertThat(writes).as("stable was never touched").doesNotContain("PATCH deployments/web");
        assertThat(canaryShare()).isEqualTo(Weight.NONE);
        assertThat(replicas("web-canary")).isZero();
        assertThat(image("web")).isEqualTo(OLD);
        DeploymentRecord record = stored("shop#43");
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.outcome().reason()).contains("gate");
        System.out.printf("FIGURE front-door Kubernetes canary aborted: %d writes: %s%n", writes.size(), writes);

        // Its record holds the release the gate refused: restoring it would put that release live.
        int before = server.writes().size();
        assertThatThrownBy(() -> Restore.run(context(), RestoreRequest.of(record,
                new KubernetesCluster(client, "shop", record.ref()), "namespace shop", "test")))
                .isInstanceOfSatisfying(OperationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OperationException.Kind.REFUSED);
                    assertThat(e.getMessage()).contains("shop#43 was not promoted", "ABORTED", "nothing was changed");
                });
        assertThat(server.writes()).as("a refused restore writes nothing").hasSize(before);
        assertThat(image("web")).isEqualTo(OLD);
    }

    @Test
    void aNamespaceThatDoesNotExistIsRefusedBeforeAnyLockOrWrite() throws Exception {
        controllerClient.namespaces().withName("shop").delete();
        server.clearLog();

        try (Deployment deployment = Deployment.of(spec("shop#43"), context())) {
            assertThatThrownBy(deployment::begin).isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("target.kubernetes.namespace").hasMessageContaining("'shop'")
                    .hasMessageContaining("does not exist");
        }
        assertThat(server.writes()).isEmpty();
        assertThat(dir.resolve("locks")).doesNotExist();
    }

    @Test
    void aStopMidRolloutPutsAllTrafficOnStableFirstThenRecordsTheAbort() throws Exception {
        DeploymentSpec spec = spec("shop#43");
        try (Deployment deployment = Deployment.of(spec, context())) {
            DeployState state = deployment.begin();
            for (int round = 0; round < 100 && canaryShare().percent() == 0; round++) {
                Deployment.Round r = deployment.advance(state);
                state = r.state();
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), r.callAgainAt()).toMillis()));
            }
            assertThat(canaryShare()).as("the canary took its first step").isEqualTo(Weight.of(50));
            int before = writes().size();

            Deployment.Finished stopped = deployment.stop(state, "interrupted by a signal");

            assertThat(writes().subList(before, writes().size())).containsExactly("PATCH httproutes/web");
            assertThat(canaryShare()).isEqualTo(Weight.NONE);
            assertThat(stopped.status()).isEqualTo(Deployment.Status.ABORTED);
            assertThat(stopped.reason()).contains("interrupted by a signal").contains("traffic put back on stable");
            Deployment.Round after = deployment.advance(state);
            assertThat(after.isFinished()).as("a round after the stop writes nothing and reports the stop").isTrue();
            assertThat(writes()).hasSize(before + 1);
        }
        assertThat(stored("shop#43").outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(image("web")).isEqualTo(OLD);
    }

    @Test
    void blueGreenSwitchesTheActiveServiceInOneWriteKeepsBlueWarmThenScalesItDown() throws Exception {
        DeploymentSpec spec = shop.blueGreen(prometheus.baseUrl(), "6s");

        Deployment.Finished finished;
        try (Deployment deployment = Deployment.of(spec, context())) {
            finished = deployment.runToEnd(state -> { });
        }

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.PROMOTED);
        assertThat(client.services().inNamespace("shop").withName("bg").get().getSpec().getSelector())
                .containsEntry("slot", "green");
        assertThat(writes()).as("green's template at full size (one apply), one switch, blue down after the window")
                .containsExactly("PATCH deployments/bg-green", "PATCH services/bg", "PATCH deployments/bg-blue");
        assertThat(replicas("bg-blue")).isZero();
        assertThat(replicas("bg-green")).isEqualTo(3);
        assertThat(stored("shop#43").outcome().status()).isEqualTo(Outcome.Status.PROMOTED);
        System.out.printf("FIGURE front-door Kubernetes blue-green promoted: %d writes: %s%n", writes().size(), writes());
    }
}
