package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.manifest.WorkloadRef;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small records and events for audit tests. */
final class AuditFixtures {

    static final String TARGET = "shop-vms";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");

    private AuditFixtures() {
    }

    /** A promoted record of {@code shop#number}; {@code version} changes its content, not its build. */
    static DeploymentRecord record(int number, String version) {
        BuildRef ref = new BuildRef("shop", number);
        ManifestSet manifests = ManifestSet.of(List.of(CanonicalObject.of(WEB, "apps/v1",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},"
                        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"ghcr.io/acme/web:" + version
                        + "\",\"name\":\"app\"}]}}}}")));
        Instant started = T0.plusSeconds(60L * number);
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(ref, URI.create("https://ci.example.com/job/shop/" + number + "/"), "alice"),
                new Target.Kubernetes(TARGET, "prod", URI.create("https://k8s.example.com:6443"), "shop", "kube"),
                List.of(new DeployedWorkload(new WorkloadRef(WEB, "app"), ImageRef.parse("ghcr.io/acme/web:" + version),
                        Digest.sha256Of(version.getBytes(StandardCharsets.UTF_8)))),
                manifests, new StrategySpec(StrategyKind.CANARY, Map.of("steps", "10,100")), List.of(),
                Outcome.promoted(), started, started.plusSeconds(30));
    }

    static AuditEvent event(int n) {
        return new AuditEvent(T0.plusSeconds(n), "alice", AuditAction.ROLLBACK, TARGET, new BuildRef("shop", n + 1),
                new BuildRef("shop", n), "rollback number " + n, "5xx 4.1% vs 0.2%, p=0.002", null);
    }

    static AuditEvent deployed(DeploymentRecord record) {
        return new AuditEvent(record.finishedAt(), "jenkins", AuditAction.DEPLOY, TARGET, null, record.ref(),
                "promoted", "", RecordRef.of(record));
    }
}
