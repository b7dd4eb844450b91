package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.FakeControllers;
import dev.rollbackdeploy.kubernetes.HttpRouteTrafficRouter;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.Retrying;
import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    private static final String OLD = "registry.example/web:1.0@sha256:" + "a".repeat(64);
    private static final String NEW = "registry.example/web:1.1@sha256:" + "b".repeat(64);
    private static final String RELEASE = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 4
              selector: {matchLabels: {app: web, track: stable}}
              template:
                metadata: {labels: {app: web, track: stable}}
                spec: {containers: [{name: web, image: "%1$s"}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web-canary, namespace: shop}
            spec:
              replicas: 0
              selector: {matchLabels: {app: web, track: canary}}
              template:
                metadata: {labels: {app: web, track: canary}}
                spec: {containers: [{name: web, image: "%1$s"}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {selector: {app: web, track: stable}, ports: [{port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-canary, namespace: shop}
            spec: {selector: {app: web, track: canary}, ports: [{port: 80, targetPort: 8080}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{name: gateway}]
              rules: [{backendRefs: [{name: web, port: 80}]}]
            """;

    private static WorkloadCounters metrics;
    private static LocalPrometheus prometheus;

    @TempDir
    Path dir;

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private FakeControllers controllers;
    private ScheduledExecutorService settling;

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
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        controllers = new FakeControllers(controllerClient, "shop");
        controllerClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                .build()).create();
        KubernetesCluster previous = new KubernetesCluster(client, "shop", BuildRef.parse("shop#42"));
        for (CanonicalObject object : new ManifestReader().read(RELEASE.formatted(OLD)).objects()) {
            previous.apply(object);
        }
        controllers.settle();
        server.clearLog();
        // The controllers move Deployment status as a cluster would, whatever the deploy is doing.
        settling = Executors.newSingleThreadScheduledExecutor();
        settling.scheduleWithFixedDelay(controllers::settle, 100, 100, TimeUnit.MILLISECONDS);
        Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: fake, cluster: {server: "%s"}}]
                users: [{name: ci, user: {token: "t0ken-never-shown"}}]
                contexts: [{name: staging, context: {cluster: fake, user: ci, namespace: shop}}]
                current-context: staging
                """.formatted(server.url()));
        Files.writeString(dir.resolve("release.yaml"), RELEASE.formatted(NEW));
    }

    @AfterEach
    void stop() throws Exception {
        settling.shutdownNow();
        settling.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
        controllerClient.close();
        server.close();
    }

    private DeploymentSpec spec(String build) throws InvalidSpecException {
        return DeploymentSpec.builder().build(build).buildUrl("https://ci.example.com/job/shop/43/").targetKey("shop-k8s")
                .kubeconfig("kubeconfig").kubeContext("staging").namespace("shop").manifests(List.of("release.yaml"))
                .stableWorkload("web").canaryWorkload("web-canary").traffic("httproute").route("web").baseDirectory(dir)
                .prometheus(prometheus.baseUrl()).steps(List.of(50, 100)).scaleDownDelay("2s").interval("1s")
                .maxDuration("40s").toSpec("test");
    }

    private OperationContext context() {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), lines::add);
    }

    /** Writes to the target's objects; the Lease's own (take, renew, give up) are counted apart. */
    private List<String> writes() {
        return server.writes().stream().map(w -> w.method() + " " + w.path().replaceAll("\\?.*", "")
                .replaceAll(".*/namespaces/shop/", "")).filter(w -> !w.contains("leases")).toList();
    }

    private String image(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getImage();
    }

    private int replicas(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getReplicas();
    }

    private Weight canaryShare() throws Exception {
        return new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", Retrying.standard()).canaryWeight();
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

    private static final String BLUE_GREEN = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: bg-%1$s, namespace: shop}
            spec:
              replicas: %3$d
              selector: {matchLabels: {app: bg, slot: %1$s}}
              template:
                metadata: {labels: {app: bg, slot: %1$s}}
                spec: {containers: [{name: web, image: "%2$s"}]}
            ---
            """;
    private static final String BLUE_GREEN_SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: bg-preview, namespace: shop}
            spec: {selector: {app: bg, slot: green}, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: bg, namespace: shop}
            spec: {selector: {app: bg, slot: %s}, ports: [{port: 80}]}
            """;

    @Test
    void blueGreenSwitchesTheActiveServiceInOneWriteKeepsBlueWarmThenScalesItDown() throws Exception {
        KubernetesCluster previous = new KubernetesCluster(client, "shop", BuildRef.parse("shop#42"));
        for (CanonicalObject object : new ManifestReader().read(BLUE_GREEN.formatted("blue", OLD, 3)
                + BLUE_GREEN.formatted("green", OLD, 0) + BLUE_GREEN_SERVICES.formatted("blue")).objects()) {
            previous.apply(object);
        }
        server.clearLog();
        Files.writeString(dir.resolve("bg.yaml"), BLUE_GREEN.formatted("blue", OLD, 3) + BLUE_GREEN.formatted("green", NEW, 3)
                + BLUE_GREEN_SERVICES.formatted("green"));
        DeploymentSpec spec = DeploymentSpec.builder().build("shop#43").buildUrl("https://ci.example.com/job/shop/43/")
                .targetKey("shop-bg").kubeconfig("kubeconfig").namespace("shop").manifests(List.of("bg.yaml"))
                .stableWorkload("bg-blue").canaryWorkload("bg-green").strategy("blueGreen").service("bg")
                .baseDirectory(dir).prometheus(prometheus.baseUrl()).scaleDownDelay("6s").interval("1s").toSpec("test");

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
