package dev.rollbackdeploy.kubernetes;

import java.time.Instant;

/** What carrying out an intent did to a {@link KubernetesRun} round: go on, drop the rest of the decision, or wait. */
record RunStep(boolean goOn, Instant wakeAt) {

    static final RunStep NEXT = new RunStep(true, null);
    static final RunStep BREAK = new RunStep(false, null);

    static RunStep waitUntil(Instant at) {
        return new RunStep(false, at);
    }
}
