package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.manifest.ContainerImage;
import dev.rollbackdeploy.manifest.ImagePinner;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small releases of a web service (ConfigMap, Deployment, Service), and promoted records of them. */
final class Releases {

    static final String DIGEST_1 = "sha256:" + "1a".repeat(32);
    static final String DIGEST_2 = "sha256:" + "2b".repeat(32);

    private Releases() {
    }

    /** The release's manifests as a build renders them, images pinned by digest. */
    static Path web(Path dir, String namespace, String digest, String mode) throws Exception {
        return Files.writeString(dir.resolve("web-" + namespace + "-" + digest.substring(7, 11) + "-" + mode + ".yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-settings, namespace: %1$s}
                data: {CHECKOUT_MODE: "%3$s", TIMEOUT_MS: "2000"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %1$s, labels: {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: registry.example/shop/web@%2$s
                          ports: [{containerPort: 8080}]
                          envFrom: [{configMapRef: {name: web-settings}}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: %1$s}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(namespace, digest, mode));
    }

    /**
     * A canary-ready release as a build renders it (docs/examples/kubernetes.yaml's shape): stable
     * {@code shop} and canary {@code shop-canary} (replicas 0) on the build's image, a Service for each,
     * and the HTTPRoute {@code shop} sending everything to stable. Returns the file's name in {@code dir}.
     */
    static String canaryRelease(Path dir, String namespace, int build, String digest) throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (String track : new String[] {"stable", "canary"}) {
            String name = track.equals("stable") ? "shop" : "shop-canary";
            yaml.append("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: %1$s, namespace: %2$s}
                    spec:
                      replicas: %3$d
                      selector: {matchLabels: {app: shop, track: %4$s}}
                      template:
                        metadata: {labels: {app: shop, track: %4$s}}
                        spec:
                          containers:
                            - {name: web, image: "registry.example/shop@%5$s", ports: [{containerPort: 8080}]}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: %1$s, namespace: %2$s}
                    spec: {selector: {app: shop, track: %4$s}, ports: [{port: 80, targetPort: 8080}]}
                    ---
                    """.formatted(name, namespace, track.equals("stable") ? 4 : 0, track, digest));
        }
        yaml.append("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: shop, namespace: %s}
                spec:
                  parentRefs: [{name: gateway}]
                  rules: [{backendRefs: [{name: shop, port: 80}]}]
                """.formatted(namespace));
        String file = "build-" + build + "-" + namespace + ".yaml";
        Files.writeString(dir.resolve(file), yaml);
        return file;
    }

    /**
     * A canary spec (docs/examples/kubernetes.yaml's fields) deploying {@code manifests} of build
     * {@code shop#build} to target {@code shop-k8s}, with the kubeconfig beside it; {@code stable} names
     * the stable Deployment and {@code moreTarget} is appended under {@code target:} (indented).
     */
    static Path canarySpec(Path dir, int build, String namespace, String manifests, String stable, String prometheus,
            String moreTarget) throws Exception {
        return Files.writeString(dir.resolve("deploy-" + build + ".yaml"), """
                build: shop#%1$d
                buildUrl: https://ci.example.com/job/shop/%1$d/
                strategy: canary
                steps: [10, 50, 100]
                scaleDownDelay: 2s
                target:
                  key: shop-k8s
                  kubernetes:
                    kubeconfig: kubeconfig
                    namespace: %2$s
                    manifests: [%3$s]
                    stable: %4$s
                    canary: shop-canary
                    traffic: httproute
                    route: shop
                %6$s
                prometheus: %5$s
                gate: {healthyErrorRate: 0.01, minimumEffect: 10, interval: 1s, maxDuration: 60s}
                """.formatted(build, namespace, manifests, stable, prometheus, moreTarget.indent(2).stripTrailing()));
    }

    /**
     * Stores a PROMOTED record of {@code manifests} for target {@code target}, as a finished deploy
     * would: `record` writes DEPLOYED, and `status` compares with the newest promoted build.
     */
    static DeploymentRecord promoted(Path store, String build, String target, String namespace, URI server,
            Path manifests, Instant at) throws Exception {
        ManifestSet given = new ManifestReader().read(List.of(manifests));
        ManifestSet pinned = ImagePinner.pin(given, Map.of());
        List<DeployedWorkload> workloads = ImagePinner.images(given).stream().map(Releases::workload).toList();
        BuildRef ref = BuildRef.parse(build);
        DeploymentRecord record = new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(ref, URI.create("https://ci.example.com/job/" + ref.job() + "/" + ref.number() + "/"), "ci"),
                new Target.Kubernetes(target, "fake", server, namespace, "kubeconfig"), workloads, pinned,
                new StrategySpec(StrategyKind.IMMUTABLE, Map.of()), List.of(), Outcome.promoted(), at, at.plusSeconds(60));
        new FileRecordStore(store).save(record);
        return record;
    }

    private static DeployedWorkload workload(ContainerImage image) {
        return new DeployedWorkload(image.workload(), image.image(), image.image().digestIfAny().orElseThrow());
    }
}
