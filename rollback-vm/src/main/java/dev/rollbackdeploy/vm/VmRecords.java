package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.traffic.Weight;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record of a canary on HAProxy-fronted VMs: no manifests (the release is the servers' traffic
 * split), the strategy's steps, every gate look's evidence, and the outcome.
 */
public final class VmRecords {

    private VmRecords() {
    }

    public static DeploymentRecord of(BuildRef build, URI buildUrl, String actor, Target.HAProxy target, List<Weight> steps,
            VmRollout.Result result, Instant started, Instant finished) {
        Phase phase = result.state().phase();
        String reason = result.state().abortReason();
        Outcome outcome = phase == Phase.PROMOTED ? Outcome.promoted()
                : phase == Phase.ABORTED ? Outcome.aborted(reason) : Outcome.failed(String.valueOf(reason));
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(build, buildUrl, actor), target,
                List.of(), ManifestSet.empty(), new StrategySpec(StrategyKind.CANARY, Map.of("steps", steps.toString())),
                result.evidence().stream().map(GateEvidence::of).toList(), outcome, started, finished);
    }

    /** The build that was live before the canary: promoted earlier, no gate looks in this run. */
    public static DeploymentRecord baseline(BuildRef build, URI buildUrl, String actor, Target.HAProxy target, Instant at) {
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(build, buildUrl, actor), target,
                List.of(), ManifestSet.empty(), new StrategySpec(StrategyKind.CANARY, Map.of()), List.of(),
                Outcome.promoted(), at, at);
    }

    /** A socket path or host:port as a record endpoint URI. */
    public static URI endpoint(String socket) {
        return socket.startsWith("/") ? URI.create("unix://" + socket) : URI.create("tcp://" + socket);
    }
}
