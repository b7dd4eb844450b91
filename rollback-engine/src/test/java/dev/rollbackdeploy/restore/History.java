package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.manifest.WorkloadRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records of {@code team/shop} builds, each running {@code ghcr.io/acme/web:1.<n>} pinned to its own digest. */
final class History {

    static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final Instant T0 = Instant.parse("2026-11-20T10:15:30Z");

    private History() {
    }

    static BuildRef build(int number) {
        return new BuildRef("team/shop", number);
    }

    static Digest digest(int number) {
        return Digest.sha256Of(("web-" + number).getBytes(StandardCharsets.UTF_8));
    }

    /** The image build {@code number} ran, as the workload records it (tag and digest). */
    static ImageRef image(int number) {
        return ImageRef.parse("ghcr.io/acme/web:1." + number).withDigest(digest(number));
    }

    static DeploymentRecord record(int number, String targetKey, Outcome outcome) {
        BuildRef ref = build(number);
        Instant started = T0.plusSeconds(60L * number);
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(ref, URI.create("https://ci.example.com/job/team/job/shop/" + number + "/"), "alice"),
                new Target.Kubernetes(targetKey, "prod-eu", URI.create("https://k8s.example.com:6443"), "shop", "kube-prod"),
                List.of(new DeployedWorkload(new WorkloadRef(WEB, "app"), ImageRef.parse("ghcr.io/acme/web:1." + number),
                        digest(number))),
                manifests(number),
                new StrategySpec(StrategyKind.CANARY, Map.of("steps", "10,50,100")),
                List.of(), outcome, started, started.plusSeconds(45));
    }

    static DeploymentRecord record(int number) {
        return record(number, "prod-shop", Outcome.promoted());
    }

    /** The Deployment with its image pinned, as an {@code ImagePinner}-pinned record holds it. */
    static ManifestSet manifests(int number) {
        return ManifestSet.of(List.of(CanonicalObject.of(WEB, "apps/v1", "{\"apiVersion\":\"apps/v1\","
                + "\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"replicas\":2,"
                + "\"template\":{\"spec\":{\"containers\":[{\"image\":\"" + image(number) + "\",\"name\":\"app\"}]}}}}")));
    }
}
