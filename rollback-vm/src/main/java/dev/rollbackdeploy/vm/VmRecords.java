package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.rollout.Phase;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of a rollout on HAProxy-fronted VMs: the release is the backend's traffic split as it
 * was live at the end ({@code HAProxyCluster}'s one object), the strategy, every gate look's evidence,
 * and the outcome. A build whose rollout was aborted records the split it left, which is the previous
 * release's, so restoring it or the previous build are the same.
 */
public final class VmRecords {

    private VmRecords() {
    }

    /**
     * @param previous the build that was live before, named as the one restored when a blue-green
     *                 rollout switched back to it
     */
    public static DeploymentRecord of(BuildRef build, URI buildUrl, String actor, Target.HAProxy target,
            StrategySpec strategy, ManifestSet live, VmRollout.Result result, Optional<BuildRef> previous,
            Instant started, Instant finished) {
        Phase phase = result.state().phase();
        String reason = result.state().abortReason();
        Outcome outcome = switch (phase) {
            case PROMOTED -> Outcome.promoted();
            case ABORTED -> Outcome.aborted(reason);
            case ROLLED_BACK -> previous.isPresent() ? Outcome.rolledBack(reason, previous.get())
                    : Outcome.aborted(reason + "; switched back to the version live before");
            default -> Outcome.failed(phase + ": " + reason);
        };
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(build, buildUrl, actor), target,
                List.of(), live, strategy, result.evidence().stream().map(GateEvidence::of).toList(), outcome, started,
                finished);
    }

    /** The build that was live before any rollout: promoted earlier, no gate looks in this run. */
    public static DeploymentRecord baseline(BuildRef build, URI buildUrl, String actor, Target.HAProxy target,
            StrategySpec strategy, ManifestSet live, Instant at) {
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(build, buildUrl, actor), target,
                List.of(), live, strategy, List.of(), Outcome.promoted(), at, at);
    }

    /** A socket path or host:port as a record endpoint URI. */
    public static URI endpoint(String socket) {
        return socket.startsWith("/") ? URI.create("unix://" + socket) : URI.create("tcp://" + socket);
    }
}
