package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.ui.KubernetesRecords;
import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.FakeControllers;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a Kubernetes {@code canaryDeploy} test needs on the fake API server, shared by the JenkinsRule test and
 * the real-Jenkins IT: the release (stable and canary Deployments, their Services, an HTTPRoute on stable), the
 * previous build live, the test-side controller, and the Pipeline that renders the manifests into the workspace.
 */
public final class KubernetesCanaryFixture {

    public static final String OLD = "registry.example/web:1.0@sha256:" + "a".repeat(64);
    public static final String NEW = "registry.example/web:1.1@sha256:" + "b".repeat(64);
    private static final String RELEASE = String.join("\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: {name: web, namespace: shop}",
            "spec:",
            "  replicas: 4",
            "  selector: {matchLabels: {app: web, track: stable}}",
            "  template:",
            "    metadata: {labels: {app: web, track: stable}}",
            "    spec: {containers: [{name: web, image: \"%1$s\"}]}",
            "---",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: {name: web-canary, namespace: shop}",
            "spec:",
            "  replicas: 0",
            "  selector: {matchLabels: {app: web, track: canary}}",
            "  template:",
            "    metadata: {labels: {app: web, track: canary}}",
            "    spec: {containers: [{name: web, image: \"%1$s\"}]}",
            "---",
            "apiVersion: v1",
            "kind: Service",
            "metadata: {name: web, namespace: shop}",
            "spec: {selector: {app: web, track: stable}, ports: [{port: 80, targetPort: 8080}]}",
            "---",
            "apiVersion: v1",
            "kind: Service",
            "metadata: {name: web-canary, namespace: shop}",
            "spec: {selector: {app: web, track: canary}, ports: [{port: 80, targetPort: 8080}]}",
            "---",
            "apiVersion: gateway.networking.k8s.io/v1",
            "kind: HTTPRoute",
            "metadata: {name: web, namespace: shop}",
            "spec:",
            "  parentRefs: [{name: gateway}]",
            "  rules: [{backendRefs: [{name: web, port: 80}]}]",
            "");

    private KubernetesCanaryFixture() {
    }

    /** The release's manifests with every container on {@code image}. */
    public static String release(String image) {
        return RELEASE.formatted(image);
    }

    /** Makes the release on {@code image} live, as a previous build left it (before the controller runs). */
    public static void applyLive(KubernetesClient client, String image) throws Exception {
        KubernetesCluster previous = new KubernetesCluster(client, KubernetesRecords.NAMESPACE, BuildRef.parse("previous#1"));
        for (CanonicalObject object : new ManifestReader().read(release(image)).objects()) {
            previous.apply(object);
        }
    }

    /** The test-side controller reconciling the namespace every 100 ms until the returned executor is shut down. */
    public static ScheduledExecutorService controllers(FakeApiServer server) {
        FakeControllers controllers = new FakeControllers(server.controllerClient(), KubernetesRecords.NAMESPACE);
        ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
        controller.scheduleWithFixedDelay(() -> {
            try {
                controllers.settle();
            } catch (RuntimeException e) {
                // retried on the next tick, as a controller's reconcile is
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        return controller;
    }

    /**
     * A Pipeline that writes the release on {@code image} into the workspace and runs {@code canaryDeploy} on the
     * configured cluster, gated by Prometheus endpoint 'local', then echoes {@code status=…}.
     */
    public static String pipeline(String target, String image) {
        return String.join("\n",
                "node {",
                "  writeFile file: 'k8s/release.yaml', text: '''" + release(image) + "'''",
                "  def r = canaryDeploy target: '" + target + "', prometheus: 'local', cluster: '" + KubernetesRecords.CLUSTER
                        + "',",
                "      manifests: 'k8s/release.yaml', stable: 'web', canary: 'web-canary', traffic: 'httproute', route: 'web',",
                "      steps: '50, 100', interval: '1s', maxDuration: '40s', scaleDownDelay: '2s'",
                "  echo \"status=${r.status}\"",
                "}");
    }

    public static Deployment deployment(KubernetesClient client, String name) {
        return client.apps().deployments().inNamespace(KubernetesRecords.NAMESPACE).withName(name).get();
    }

    public static String image(KubernetesClient client, String name) {
        return deployment(client, name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    public static int replicas(KubernetesClient client, String name) {
        return deployment(client, name).getSpec().getReplicas();
    }
}
