package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.WorkloadRef;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sample records for tests and benchmarks-by-hand: small, already-canonical objects. */
final class Records {

    static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    static final Instant T0 = Instant.parse("2026-11-20T10:15:30Z");

    private Records() {
    }

    /** A Deployment plus {@code count - 1} ConfigMaps, in canonical JSON. */
    static ManifestSet manifests(int count, String version) {
        List<CanonicalObject> objects = new ArrayList<>();
        objects.add(CanonicalObject.of(WEB, "apps/v1", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"replicas\":3,\"template\":"
                + "{\"spec\":{\"containers\":[{\"image\":\"ghcr.io/acme/web:" + version + "\",\"name\":\"app\"}]}}}}"));
        for (int i = 1; i < count; i++) {
            objects.add(CanonicalObject.of(new ObjectKey("", "ConfigMap", "shop", "config-" + i), "v1",
                    "{\"apiVersion\":\"v1\",\"data\":{\"version\":\"" + version + "\",\"weight\":1.5},"
                            + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"config-" + i
                            + "\",\"namespace\":\"shop\"}}"));
        }
        return ManifestSet.of(objects);
    }

    static Digest digestOf(String text) {
        return Digest.sha256Of(text.getBytes(StandardCharsets.UTF_8));
    }

    static Target.Kubernetes kubernetes(String key) {
        return new Target.Kubernetes(key, "prod-eu", URI.create("https://k8s.example.com:6443"), "shop", "kube-prod");
    }

    static DeploymentRecord record(String job, int number) {
        return record(job, number, "prod-shop", Outcome.promoted(), T0.plusSeconds(60L * number), 3);
    }

    static DeploymentRecord record(String job, int number, String targetKey, Outcome outcome, Instant startedAt,
            int objectCount) {
        BuildRef ref = new BuildRef(job, number);
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(ref, URI.create("https://ci.example.com/job/" + job + "/" + number + "/"), "alice"),
                kubernetes(targetKey),
                List.of(new DeployedWorkload(new WorkloadRef(WEB, "app"), ImageRef.parse("ghcr.io/acme/web:1." + number),
                        digestOf("web-" + number))),
                manifests(objectCount, "1." + number),
                new StrategySpec(StrategyKind.CANARY, Map.of("steps", "10,50,100", "pause", "30s")),
                List.of(new GateEvidence("{\"gate\":\"error-rate\",\"value\":0.002,\"verdict\":\"PASS\"}")),
                outcome, startedAt, startedAt.plusSeconds(45));
    }
}
