package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.rollout.Intent;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.rollout.WarmWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One round's working copy of a {@link KubernetesRunState}: mutated by {@link KubernetesRun}, frozen at the end. */
final class RunWork {

    RolloutState rollout;
    Observation seen;
    final List<Intent> pending;
    boolean headStarted;
    Instant readyBy;
    boolean headWritten;
    Instant gateAt;
    WarmWindow window;
    boolean previewChecked;
    boolean afterSwitchDecided;
    int trafficBackFailures;
    CanaryPromotion.Progress promotion;
    CanaryPromotion.Finished promoted;
    boolean finished;

    RunWork(KubernetesRunState s) {
        rollout = s.rollout();
        seen = s.seen();
        pending = new ArrayList<>(s.pending());
        headStarted = s.headStarted();
        readyBy = s.readyBy();
        headWritten = s.headWritten();
        gateAt = s.gateAt();
        window = s.window();
        previewChecked = s.previewChecked();
        afterSwitchDecided = s.afterSwitchDecided();
        trafficBackFailures = s.trafficBackFailures();
        promotion = s.promotion();
        promoted = s.promoted();
        finished = s.finished();
    }

    /** The first pending intent is done: the next one starts afresh. */
    void headDone() {
        pending.remove(0);
        resetHead();
    }

    /** The rest of the decision is dropped: the engine must hear what was seen first. */
    void dropDecision() {
        pending.clear();
        resetHead();
    }

    private void resetHead() {
        headStarted = false;
        readyBy = null;
        headWritten = false;
        gateAt = null;
    }

    KubernetesRunState freeze(Instant wakeAt) {
        return new KubernetesRunState(rollout, seen, pending, headStarted, readyBy, headWritten, gateAt, window,
                previewChecked, afterSwitchDecided, trafficBackFailures, promotion, promoted, wakeAt, finished);
    }
}
