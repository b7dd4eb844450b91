package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.FakeControllers;
import dev.rollbackdeploy.kubernetes.HttpRouteTrafficRouter;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.Retrying;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The shop namespace the front door's Kubernetes tests deploy to: fabric8's mock server in CRUD mode with
 * the test-side controllers moving Deployment status every 100 ms (no kube-apiserver exists here), shop#42
 * ({@link #OLD}) live, and in the test's directory a kubeconfig for it and shop#43's release ({@link #NEW}).
 * Also the blue-green pair {@code bg-blue}/{@code bg-green} behind Service {@code bg}, and what the tests read back.
 */
final class KubernetesShop implements AutoCloseable {

    static final String OLD = "registry.example/web:1.0@sha256:" + "a".repeat(64);
    static final String NEW = "registry.example/web:1.1@sha256:" + "b".repeat(64);
    /** A canary release: Deployments web (4) and web-canary (0), their Services, HTTPRoute web on stable. */
    static final String RELEASE = """
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

    final FakeApiServer server;
    final KubernetesClient client;
    final KubernetesClient controllerClient;
    private final Path dir;
    private final ScheduledExecutorService settling;

    private KubernetesShop(Path dir, Consumer<FakeApiServer> beforeSettling) throws IOException, InterruptedException {
        this.dir = dir;
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        FakeControllers controllers = new FakeControllers(controllerClient, "shop");
        controllerClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                .build()).create();
        apply(RELEASE.formatted(OLD));
        controllers.settle();
        server.clearLog();
        beforeSettling.accept(server);
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

    /** @param beforeSettling runs once shop#42 is live and the request log is cleared, before the controllers start */
    static KubernetesShop start(Path dir, Consumer<FakeApiServer> beforeSettling) throws IOException, InterruptedException {
        return new KubernetesShop(dir, beforeSettling);
    }

    static KubernetesShop start(Path dir) throws IOException, InterruptedException {
        return start(dir, server -> { });
    }

    /** The canary spec: web/web-canary through HTTPRoute web, steps 50 and 100. */
    DeploymentSpec canary(String build, String prometheus) throws InvalidSpecException {
        return DeploymentSpec.builder().build(build).buildUrl("https://ci.example.com/job/shop/43/").targetKey("shop-k8s")
                .kubeconfig("kubeconfig").kubeContext("staging").namespace("shop").manifests(List.of("release.yaml"))
                .stableWorkload("web").canaryWorkload("web-canary").traffic("httproute").route("web").baseDirectory(dir)
                .prometheus(prometheus).steps(List.of(50, 100)).scaleDownDelay("2s").interval("1s")
                .maxDuration("40s").toSpec("test");
    }

    /** Blue live (3 pods, Service bg on blue); bg.yaml switches to green on shop#43's image; the log is cleared. */
    DeploymentSpec blueGreen(String prometheus, String scaleDownDelay) throws IOException, InterruptedException,
            InvalidSpecException {
        apply(BLUE_GREEN.formatted("blue", OLD, 3) + BLUE_GREEN.formatted("green", OLD, 0)
                + BLUE_GREEN_SERVICES.formatted("blue"));
        server.clearLog();
        Files.writeString(dir.resolve("bg.yaml"), BLUE_GREEN.formatted("blue", OLD, 3) + BLUE_GREEN.formatted("green", NEW, 3)
                + BLUE_GREEN_SERVICES.formatted("green"));
        return DeploymentSpec.builder().build("shop#43").buildUrl("https://ci.example.com/job/shop/43/")
                .targetKey("shop-bg").kubeconfig("kubeconfig").namespace("shop").manifests(List.of("bg.yaml"))
                .stableWorkload("bg-blue").canaryWorkload("bg-green").strategy("blueGreen").service("bg")
                .baseDirectory(dir).prometheus(prometheus).scaleDownDelay(scaleDownDelay).interval("1s").toSpec("test");
    }

    private void apply(String manifests) throws IOException, InterruptedException {
        KubernetesCluster previous = new KubernetesCluster(client, "shop", BuildRef.parse("shop#42"));
        for (CanonicalObject object : new ManifestReader().read(manifests).objects()) {
            previous.apply(object);
        }
    }

    /** Writes to the target's objects ("PATCH httproutes/web"); the Lease's own (take, renew, give up) are left out. */
    List<String> writes() {
        return server.writes().stream().map(w -> w.method() + " " + w.path().replaceAll("\\?.*", "")
                .replaceAll(".*/namespaces/shop/", "")).filter(w -> !w.contains("leases")).toList();
    }

    String image(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getImage();
    }

    int replicas(String deployment) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(deployment).get().getSpec().getReplicas();
    }

    Weight canaryShare() throws Exception {
        return new HttpRouteTrafficRouter(client, "shop", "web", "web", "web-canary", Retrying.standard()).canaryWeight();
    }

    /** The slot Service bg selects. */
    String activeSlot() {
        return client.services().inNamespace("shop").withName("bg").get().getSpec().getSelector().get("slot");
    }

    @Override
    public void close() throws Exception {
        settling.shutdownNow();
        settling.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
        controllerClient.close();
        server.close();
    }
}
