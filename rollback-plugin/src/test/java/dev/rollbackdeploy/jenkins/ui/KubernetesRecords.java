package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordStore;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import hudson.model.Run;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records of a Kubernetes target (namespace {@code shop}: a Deployment pinned by digest, its Service and a
 * ConfigMap) attached to builds, as a Kubernetes {@code canaryDeploy} would; and the kubeconfig a secret-file
 * credential hands Jenkins for the fake API server.
 */
public final class KubernetesRecords {

    public static final String NAMESPACE = "shop";
    public static final String CLUSTER = "fake-cluster";
    public static final String CONTEXT = "fake";
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private KubernetesRecords() {
    }

    /** A kubeconfig for {@code server} with a bearer token, in a context of its own (and a decoy as current). */
    public static String kubeconfig(URI server, String token) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: fake",
                "  cluster: {server: '" + server + "'}",
                "- name: elsewhere",
                "  cluster: {server: 'https://127.0.0.1:1'}",
                "users:",
                "- name: jenkins",
                "  user: {token: '" + token + "'}",
                "contexts:",
                "- name: " + CONTEXT,
                "  context: {cluster: fake, user: jenkins, namespace: " + NAMESPACE + "}",
                "- name: decoy",
                "  context: {cluster: elsewhere, user: jenkins}",
                "current-context: decoy",
                "");
    }

    /** Where the recorded images are: a {@link FakeRegistry} when digests are checked. */
    public static String registry = "registry.example";

    /** The recorded objects with image {@code <registry>/shop@sha256:<digit repeated>} and config {@code greeting}. */
    static ManifestSet manifests(char digit, String greeting) {
        String digest = "sha256:" + String.valueOf(digit).repeat(64);
        String yaml = String.join("\n",
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata: {name: shop, namespace: " + NAMESPACE + ", labels: {app: shop}}",
                "spec:",
                "  replicas: 2",
                "  selector: {matchLabels: {app: shop}}",
                "  template:",
                "    metadata: {labels: {app: shop}}",
                "    spec:",
                "      containers:",
                "      - name: web",
                "        image: " + registry + "/shop@" + digest,
                "        ports: [{containerPort: 8080}]",
                "---",
                "apiVersion: v1",
                "kind: Service",
                "metadata: {name: shop, namespace: " + NAMESPACE + "}",
                "spec:",
                "  selector: {app: shop}",
                "  ports: [{port: 80, targetPort: 8080}]",
                "---",
                "apiVersion: v1",
                "kind: ConfigMap",
                "metadata: {name: shop-config, namespace: " + NAMESPACE + "}",
                "data: {greeting: '" + greeting + "'}",
                "");
        return new ManifestReader().read(yaml);
    }

    static DeploymentRecord of(Run<?, ?> run, String targetKey, URI server, char digit, String greeting) {
        return of(new BuildRef(run.getParent().getFullName(), run.getNumber()), targetKey, server, digit, greeting);
    }

    public static DeploymentRecord of(BuildRef ref, String targetKey, URI server, char digit, String greeting) {
        Target.Kubernetes target = new Target.Kubernetes(targetKey, CLUSTER, server, NAMESPACE, "kubeconfig");
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(ref, URI.create("http://127.0.0.1/job/x/"),
                "alice"), target, List.of(), manifests(digit, greeting), new StrategySpec(StrategyKind.CANARY,
                Map.of("steps", "[10, 50, 100]")), List.of(), Outcome.promoted(), T0, T0.plusSeconds(60));
    }

    /** Saves the record in the controller's store (what the front door does) and attaches it (what the steps do). */
    static DeploymentRecord attach(Run<?, ?> run, String targetKey, URI server, char digit, String greeting)
            throws Exception {
        DeploymentRecord record = of(run, targetKey, server, digit, greeting);
        ControllerRecords.store().save(record);
        DeploymentRecordAction.attachRecordToRun(run, record);
        return record;
    }

    /** Whether the live namespace equals the record (a restore would write nothing). */
    static boolean live(DeploymentRecord record, KubernetesClient client) throws Exception {
        return live(record, ControllerRecords.store(), client);
    }

    public static boolean live(DeploymentRecord record, RecordStore store, KubernetesClient client) throws Exception {
        return Restore.prepare(store, record.ref(), new KubernetesCluster(client, NAMESPACE,
                record.ref()), Optional.empty(), RestoreOptions.SAFE, "test").plan().isEmpty();
    }
}
