package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.operations.DeployState;
import java.time.Instant;

/** How a deployment under way reads on the Pipeline steps page and when its next round is due. */
final class DeployStateView {

    private DeployStateView() {
    }

    /** E.g. "step 3/8, weight 25%, gate error-ratio: 4 looks, last HOLD" (VMs and Kubernetes alike). */
    static String status(DeployState state, int totalSteps) {
        StringBuilder s = new StringBuilder("step ").append(Math.min(state.rollout().stepIndex() + 1, totalSteps))
                .append('/').append(totalSteps).append(", weight ").append(state.rollout().canary().percent()).append('%');
        // the VM run names the gate it is waiting on; a Kubernetes run counts its looks only
        String pendingGate = state.run() == null ? null : state.run().pendingGate();
        if (state.looks() > 0 || pendingGate != null) {
            s.append(", gate ").append(pendingGate == null ? "" : pendingGate + ": ").append(state.looks()).append(" looks");
            GateDecision.Outcome last = state.lastOutcome();
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
        Instant at = DeployState.decode(encoded).wakeAt();
        return at == null ? Instant.now() : at;
    }
}
