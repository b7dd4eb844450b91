package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.operations.DeployState;
import dev.rollbackdeploy.vm.VmRunState;
import java.time.Instant;

/** How a deployment under way reads on the Pipeline steps page and when its next round is due. */
final class DeployStateView {

    private DeployStateView() {
    }

    /** E.g. "step 3/8, weight 25%, gate error-ratio: 4 looks, last HOLD". */
    static String status(DeployState state, int totalSteps) {
        VmRunState run = state.run();
        StringBuilder s = new StringBuilder("step ").append(Math.min(run.rollout().stepIndex() + 1, totalSteps))
                .append('/').append(totalSteps).append(", weight ").append(run.rollout().canary().percent()).append('%');
        if (run.looks() > 0 || run.pendingGate() != null) {
            s.append(", gate ").append(run.pendingGate() == null ? "" : run.pendingGate() + ": ").append(run.looks())
                    .append(" looks");
            GateDecision.Outcome last = run.lastOutcome();
            if (last != null) {
                s.append(", last ").append(last == GateDecision.Outcome.HOLD ? "Pass (hold)" : last.name());
            }
        }
        if (state.alreadyLive() != null) {
            return "already live";
        }
        return s.toString();
    }

    /** When the saved state wants its next round (now when it does not say). */
    static Instant wakeAt(String encoded) {
        Instant at = DeployState.decode(encoded).run().wakeAt();
        return at == null ? Instant.now() : at;
    }
}
