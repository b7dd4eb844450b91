package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.record.BuildRef;

/**
 * Each gate decision of a deploy in the audit log (docs/safety.md): after a round in which a gate
 * decided (promote this step, or roll back), a GATE_VERDICT entry from the stable build to the canary,
 * with the decision's reason as its evidence. Looks that only hold (not enough data yet) decide nothing.
 */
final class GateAudit {

    private GateAudit() {
    }

    static void afterRound(OperationContext context, String target, BuildRef stable, BuildRef canary, DeployState before,
            DeployState after) throws InterruptedException {
        if (after.looks() == before.looks() || after.lastOutcome() == null
                || after.lastOutcome() == GateDecision.Outcome.HOLD) {
            return;
        }
        String step = after.rollout().phase() + " at step " + (after.rollout().stepIndex() + 1);
        Audit.append(context, AuditAction.GATE_VERDICT, target, stable, canary, "gate decided "
                + after.lastOutcome() + " (" + step + ", look " + after.looks() + ")", after.lastReason(), null);
    }
}
