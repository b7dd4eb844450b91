package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.CanaryPromotion;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.rollout.RolloutState;
import java.time.Instant;

/**
 * The record of a Kubernetes deploy: the build's release as rendered, every image pinned to its digest
 * (what a restore of this build puts back exactly), the gate's evidence, and the outcome. A promoted
 * canary whose finish could not complete (stable not ready on the new template) is FAILED: live is not
 * the release then, and the reason says what is.
 */
final class KubernetesRecords {

    private KubernetesRecords() {
    }

    static DeploymentRecord of(DeploymentSpec spec, KubernetesTarget target, DeployState state, RolloutState end,
            Instant finishedAt, String actor) {
        String reason = end.abortReason();
        CanaryPromotion.Finished finish = state.kubernetes().promoted();
        Outcome outcome = switch (end.phase()) {
            case PROMOTED -> finish != null && !finish.complete() ? Outcome.failed("promoted, but " + finish.summary())
                    : Outcome.promoted();
            case ABORTED -> Outcome.aborted(reason);
            case ROLLED_BACK -> state.previousBuild().isPresent() ? Outcome.rolledBack(reason, state.previousBuild().get())
                    : Outcome.aborted(reason + "; switched back to the version live before");
            default -> Outcome.failed(end.phase() + ": " + reason);
        };
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(spec.build(), spec.buildUrl(), actor),
                target.recordTarget(), target.images(), target.release(), spec.strategySpec(),
                state.gate().evidence().stream().map(GateEvidence::of).toList(), outcome, state.startedAt(), finishedAt);
    }
}
