package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.gate.GateDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A simulated shell: carries out intents against nothing, logs them, answers gates from a script, jumps
 * the clock to every WaitUntil, and (optionally) round-trips the state through its plain map before
 * every call, as a Jenkins restart would.
 */
final class Shell {

    final List<String> log = new ArrayList<>();
    private final RolloutSpec spec;
    private final Iterator<GateDecision.Outcome> gateAnswers;
    private final boolean restartEveryCall;
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    RolloutState state = RolloutState.start();
    Observation next = Observation.started();
    Observation.Command onWaitForPerson = Observation.Command.PROMOTE;

    Shell(RolloutSpec spec, List<GateDecision.Outcome> gateAnswers, boolean restartEveryCall) {
        this.spec = spec;
        this.gateAnswers = gateAnswers.iterator();
        this.restartEveryCall = restartEveryCall;
    }

    /** Runs until the rollout is finished (or 1000 calls, which would be a bug). */
    Shell run() {
        for (int calls = 0; calls < 1000 && !Progression.isFinished(spec, state); calls++) {
            call();
        }
        return this;
    }

    void call() {
        if (restartEveryCall) {
            Map<String, String> persisted = state.toMap();
            state = RolloutState.fromMap(Map.copyOf(persisted));
        }
        Decision decision = Progression.next(spec, state, next, now);
        state = decision.state();
        next = Observation.done();
        for (Intent intent : decision.intents()) {
            log.add(describe(intent));
            if (intent instanceof Intent.WaitUntil wait) {
                if (wait.until() == null) {
                    next = Observation.command(onWaitForPerson);
                } else {
                    now = wait.until();
                }
            } else if (intent instanceof Intent.RunGate) {
                GateDecision.Outcome answer = gateAnswers.next();
                next = Observation.gate(answer, "scripted " + answer);
                now = now.plusSeconds(10);
            }
        }
    }

    private String describe(Intent intent) {
        if (intent instanceof Intent.SetCanaryWeight set) {
            return "weight " + set.weight();
        }
        if (intent instanceof Intent.WaitUntil wait) {
            return wait.until() == null ? "wait for a person" : "wait";
        }
        if (intent instanceof Intent.RunGate gate) {
            return "gate " + gate.name();
        }
        if (intent instanceof Intent.SwitchActive sw) {
            return "switch to " + sw.to();
        }
        if (intent instanceof Intent.Done done) {
            return "done " + done.outcome();
        }
        return intent.getClass().getSimpleName();
    }
}
