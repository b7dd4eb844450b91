package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.Verdict;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.vm.VmRecords;
import dev.rollbackdeploy.vm.VmTarget;
import hudson.model.Run;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Records of an HAProxy target (one stable, one canary server) attached to builds, as the steps would. */
final class Records {

    static final HAProxyBackend BACKEND = new HAProxyBackend("app", List.of("s1"), List.of("c1"));
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private Records() {
    }

    /** A promoted canary record whose split is {@code stable}/{@code canary}, with four gate looks. */
    static DeploymentRecord of(Run<?, ?> run, String targetKey, Path socket, int stable, int canary) {
        return of(new BuildRef(run.getParent().getFullName(), run.getNumber()), targetKey, socket, stable, canary);
    }

    static DeploymentRecord of(BuildRef ref, String targetKey, Path socket, int stable, int canary) {
        Target.HAProxy target = new Target.HAProxy(targetKey, List.of(VmRecords.endpoint(socket.toString())), BACKEND.name(),
                "haproxy-admin");
        ManifestSet split = ManifestSet.of(List.of(HAProxyCluster.backendObject(BACKEND, Map.of("s1", stable, "c1", canary))));
        List<GateEvidence> looks = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            looks.add(GateEvidence.of(new Evidence("http-5xx", T0.plusSeconds(10L * i), List.of("sum(rate(x[1m]))"),
                    Map.of("canaryErrors", (double) i, "canaryRequests", 100.0 * i, "baselineErrors", 2.0 * i,
                            "baselineRequests", 100.0 * i), "log e-value", 0.1 * i, 4.6, new Verdict.Pass("canary no worse"))));
        }
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(ref, URI.create("http://127.0.0.1/job/x/"),
                "alice"), target, List.of(), split, new StrategySpec(StrategyKind.CANARY, Map.of("steps", "[10, 50, 100]")),
                looks, Outcome.promoted(), T0, T0.plusSeconds(60));
    }

    /** Saves the record in the controller's store (what the front door does) and attaches it (what the steps do). */
    static DeploymentRecord attach(Run<?, ?> run, String targetKey, Path socket, int stable, int canary) throws Exception {
        DeploymentRecord record = of(run, targetKey, socket, stable, canary);
        ControllerRecords.store().save(record);
        DeploymentRecordAction.attachRecordToRun(run, record);
        return record;
    }

    /** The target's live objects now (to show that something changed nothing). */
    static Object liveState(DeploymentRecord record) throws Exception {
        return VmTarget.open(record, Duration.ofSeconds(2)).observe();
    }

    /** Whether the live target equals the record (a restore would write nothing). */
    static boolean live(DeploymentRecord record) throws Exception {
        return Restore.prepare(ControllerRecords.store(), record.ref(), VmTarget.open(record, Duration.ofSeconds(2)),
                Optional.empty(), RestoreOptions.SAFE, "test").plan().isEmpty();
    }
}
