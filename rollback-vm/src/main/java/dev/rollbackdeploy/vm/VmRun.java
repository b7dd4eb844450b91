package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.rollout.Decision;
import dev.rollbackdeploy.rollout.Intent;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.Progression;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.rollout.WarmWindow;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A rollout on a VM target's traffic router, one bounded round at a time: {@link #advance} carries out
 * the engine's intents until it must wait, and returns the new {@link VmRunState} and when to call
 * again. It never sleeps, so a Jenkins step can call it from a timer and persist the state in between,
 * and the CLI calls it in a loop ({@link VmRollout}).
 *
 * <p>Resuming from a persisted state in a fresh object repeats no write that the state records as done.
 * A round that crashed before its state was persisted is carried out again from the previous state:
 * that repeats at most the round's traffic writes, which are HAProxy "set weight" commands — setting
 * the same weight twice is the same as once (idempotent), so a repeat moves no traffic.
 *
 * <p>Canary: the router's canary share follows the steps, a gate after each shift. Blue-green: the
 * "canary" servers are the new version; the switch is one weight change per load balancer, the old
 * servers keep running at weight 0 for the warm window, and the after-switch gate is asked every
 * interval for the whole window ({@link WarmWindow}); a rollback inside it is one switch back.
 */
public final class VmRun {

    /** The state after a round, and when to call again (null: the rollout is over). */
    public record Round(VmRunState state, Instant callAgainAt) {
        public boolean finished() {
            return callAgainAt == null;
        }
    }

    /** Attempts, one a second, to put traffic back on the old version before giving up with the split unknown. */
    static final int WRITE_ATTEMPTS = 30;
    static final Duration WRITE_RETRY = Duration.ofSeconds(1);
    /** Engine decisions per round at most: a round is bounded even if a bug made the engine loop. */
    private static final int DECISIONS_PER_ROUND = 64;

    private final RolloutSpec spec;
    private final TrafficRouter router;
    private final MetricSource metrics;
    private final GateSpec gate;
    private final GateSpec afterSwitch;
    private final Map<String, String> placeholders;
    private final Consumer<String> progress;

    /**
     * @param gate        the gate of the rollout's Gate steps, or null when there are none
     * @param afterSwitch blue-green: the gate watching the new version in the warm window; null for a canary
     */
    public VmRun(RolloutSpec spec, TrafficRouter router, MetricSource metrics, GateSpec gate, GateSpec afterSwitch,
            Map<String, String> placeholders, Consumer<String> progress) {
        if (spec.strategy() == RolloutSpec.Strategy.BLUE_GREEN && afterSwitch == null) {
            throw new IllegalArgumentException("a blue-green rollout on a VM target needs an afterSwitch gate, got none");
        }
        this.spec = spec;
        this.router = router;
        this.metrics = metrics;
        this.gate = gate;
        this.afterSwitch = afterSwitch;
        this.placeholders = Map.copyOf(placeholders);
        this.progress = progress;
    }

    /**
     * One round: nothing before the state's wake time, else the engine's intents until it must wait.
     *
     * @throws IOException traffic was being put back on the old version and could not be after
     *                     {@link #WRITE_ATTEMPTS} attempts: the traffic split is unknown
     */
    public Round advance(VmRunState state, Instant now) throws IOException, InterruptedException {
        if (state.finished()) {
            return new Round(state, null);
        }
        if (state.wakeAt() != null && now.isBefore(state.wakeAt())) {
            return new Round(state, state.wakeAt());
        }
        Work w = new Work(state);
        w.wakeAt = null;
        if (w.retryWeight != null) {
            if (!write(w, w.retryWeight, "switch back to the previous version (retry)", true, now)) {
                return w.round(now.plus(WRITE_RETRY));
            }
            w.retryWeight = null;
        }
        if (w.pendingGate != null) {
            GateDecision decision = look(w, gate, w.pendingGate, now);
            w.pendingGate = null;
            w.seen = Observation.gate(decision.outcome(), decision.reason());
        }
        if (w.window != null) {
            Instant wait = warmWindow(w, now);
            if (wait != null) {
                return w.round(wait);
            }
        }
        for (int i = 0; i < DECISIONS_PER_ROUND; i++) {
            if (Progression.isFinished(spec, w.rollout)) {
                w.finished = true;
                return new Round(w.freeze(), null);
            }
            Decision decision = Progression.next(spec, w.rollout, w.seen, now);
            w.rollout = decision.state();
            w.seen = Observation.done();
            for (Intent intent : decision.intents()) {
                Step step = carryOut(w, intent, now);
                if (step.wakeAt != null) {
                    return w.round(step.wakeAt);
                }
                if (!step.goOn) {
                    break;
                }
            }
        }
        return w.round(now);
    }

    /** A step's effect on the round: go on with the decision's next intent, or stop it, or wait. */
    private record Step(boolean goOn, Instant wakeAt) {
        static final Step NEXT = new Step(true, null);
        static final Step STOP = new Step(false, null);

        static Step waitUntil(Instant at) {
            return new Step(false, at);
        }
    }

    private Step carryOut(Work w, Intent intent, Instant now) throws IOException, InterruptedException {
        if (intent instanceof Intent.SetCanaryWeight set) {
            boolean aborting = w.rollout.phase() == Phase.ABORTING;
            if (write(w, set.weight(), "canary weight " + set.weight(), aborting, now)) {
                return Step.NEXT;
            }
            // During an abort the engine asks for the write again itself (it holds everything else until it succeeds).
            return aborting ? Step.waitUntil(now.plus(WRITE_RETRY)) : Step.STOP;
        } else if (intent instanceof Intent.SwitchActive to) {
            if (to.to() == Intent.Side.PREVIEW) {
                if (!write(w, Weight.ALL, "switch to the new version", false, now)) {
                    // Half switched or not at all: go back to the old version, which is still warm.
                    w.seen = Observation.workloadFailed("the switch to the new version was not confirmed: " + w.seen.intentFailed());
                    return Step.STOP;
                }
                return Step.NEXT;
            }
            if (!write(w, Weight.NONE, "switch back to the previous version", true, now)) {
                w.retryWeight = Weight.NONE;
                return Step.waitUntil(now.plus(WRITE_RETRY));
            }
            return Step.NEXT;
        } else if (intent instanceof Intent.RunGate run) {
            if (w.gate == null) {
                w.gate = GateState.start(now);
            }
            w.pendingGate = run.name();
            return Step.waitUntil(now.plus(gate.interval()));
        } else if (intent instanceof Intent.WaitUntil wait) {
            if (wait.until() == null) {
                throw new IllegalStateException("this rollout waits for a person to promote; a VM rollout run has none");
            }
            if (w.rollout.phase() == Phase.PROMOTED && afterSwitch != null && !w.afterSwitchDecided) {
                if (w.window == null) {
                    w.window = WarmWindow.open(now, wait.until(), afterSwitch.interval());
                    w.gate = GateState.start(now);
                    progress.accept("warm window: the after-switch gate looks every " + afterSwitch.interval().toSeconds()
                            + " s until " + wait.until() + "; the previous version stays warm");
                }
                Instant next = warmWindow(w, now);
                return next == null ? Step.STOP : Step.waitUntil(next);
            }
            return Step.waitUntil(wait.until());
        } else if (intent instanceof Intent.EnsureStableReady) {
            progress.accept("stable servers stay up on VM targets: nothing to scale");
        } else if (intent instanceof Intent.ScaleDownCanary) {
            progress.accept("canary servers stay up (VM targets are not scaled)");
        } else if (intent instanceof Intent.ScaleDownPrevious) {
            progress.accept("warm window over: the previous version's servers stay at weight 0 (VM targets are not scaled);"
                    + " a rollback from now on is a restore from its record");
        } else if (intent instanceof Intent.Done done) {
            progress.accept("rollout " + done.outcome() + ": " + done.reason());
        } else {
            throw new IllegalStateException("a rollout on a VM target cannot carry out " + intent);
        }
        return Step.NEXT;
    }

    /**
     * The warm window's looks until it must wait (returned) or has decided (null; the engine hears the
     * decision through {@code seen}).
     */
    private Instant warmWindow(Work w, Instant now) throws InterruptedException {
        while (true) {
            WarmWindow.Next next = w.window.next(now);
            if (next instanceof WarmWindow.WaitUntil wait) {
                return wait.until();
            } else if (next instanceof WarmWindow.Look) {
                GateDecision decision = look(w, afterSwitch, "after-switch", now);
                w.window = w.window.afterLook(decision.outcome(), decision.reason(), now);
            } else if (next instanceof WarmWindow.SwitchBack back) {
                progress.accept("warm window: switching back — " + back.reason());
                w.verdictAt = w.verdictAt == null ? now : w.verdictAt;
                w.seen = Observation.gate(GateDecision.Outcome.ROLLBACK, back.reason());
                w.closeWindow();
                return null;
            } else if (next instanceof WarmWindow.Keep keep) {
                progress.accept("warm window over: " + keep.reason());
                w.closeWindow();
                return null;
            } else {
                throw new AssertionError(next);
            }
        }
    }

    /** Sets the canary share; false when it failed (reported through {@code seen}). */
    private boolean write(Work w, Weight weight, String what, boolean puttingBack, Instant now) throws IOException,
            InterruptedException {
        try {
            router.setCanaryWeight(weight);
        } catch (IOException e) {
            progress.accept(what + " failed: " + e.getMessage());
            w.seen = Observation.intentFailed(e.getMessage());
            if (puttingBack && ++w.writeFailures >= WRITE_ATTEMPTS) {
                throw new IOException("could not put traffic back on the previous version after " + w.writeFailures
                        + " attempts; the traffic split is UNKNOWN: " + e.getMessage(), e);
            }
            return false;
        }
        Weight kept = puttingBack ? keptByGuard() : Weight.NONE;
        if (!kept.equals(Weight.NONE)) {
            // A guard on the router (a kill switch in instead-of-traffic mode) turned flags off in place of
            // this write: the rollout goes on, and what is live is said and charted, not what was asked.
            w.weights.add(new GateChart.WeightStep(now, kept.percent()));
            progress.accept(what + ": traffic NOT moved, the canary keeps " + kept + " (read back from every load"
                    + " balancer; the router's guard replaced the write)");
            return true;
        }
        w.weights.add(new GateChart.WeightStep(now, weight.percent()));
        progress.accept(what + " (canary share " + weight + ") confirmed on every load balancer");
        return true;
    }

    /** After a write back to stable: the canary's share read back (0 unless a guard left it), 0 when unreadable. */
    private Weight keptByGuard() throws InterruptedException {
        try {
            return router.canaryWeight();
        } catch (IOException e) {
            progress.accept("the canary's share could not be read back after the write back to stable: " + e.getMessage());
            return Weight.NONE;
        }
    }

    private GateDecision look(Work w, GateSpec spec, String name, Instant now) throws InterruptedException {
        GateState started = w.gate == null ? GateState.start(now) : w.gate;
        GateEvaluator.Look look = GateProbe.lookOnce(spec, started, metrics, placeholders, now);
        GateDecision decision = look.decision();
        w.looks++;
        w.evidence.addAll(decision.evidence());
        w.lastOutcome = decision.outcome();
        w.lastReason = decision.reason();
        w.gate = look.state();
        if (decision.finished() || decision.outcome() != GateDecision.Outcome.HOLD) {
            progress.accept("gate " + name + ": " + decision.outcome() + " — " + decision.reason());
            if (decision.outcome() == GateDecision.Outcome.ROLLBACK) {
                w.verdictAt = now;
            }
            GateState s = look.state();
            // The warm window keeps asking after a pass: the same gate, reopened, still counting from the switch.
            w.gate = w.window != null && decision.outcome() == GateDecision.Outcome.PROMOTE
                    ? new GateState(s.startedAt(), s.looks(), s.failures(), s.inconclusives(), s.consecutiveErrors(),
                            s.firstFailureAt(), false, s.errorRatios())
                    : null;
        }
        return decision;
    }

    /** A round's working copy of the state. */
    private static final class Work {
        RolloutState rollout;
        Observation seen;
        String pendingGate;
        GateState gate;
        WarmWindow window;
        boolean afterSwitchDecided;
        Weight retryWeight;
        int writeFailures;
        Instant wakeAt;
        final List<Evidence> evidence;
        int looks;
        final List<GateChart.WeightStep> weights;
        Instant verdictAt;
        GateDecision.Outcome lastOutcome;
        String lastReason;
        boolean finished;

        Work(VmRunState s) {
            rollout = s.rollout();
            seen = s.seen();
            pendingGate = s.pendingGate();
            gate = s.gate();
            window = s.window();
            afterSwitchDecided = s.afterSwitchDecided();
            retryWeight = s.retryWeight();
            writeFailures = s.writeFailures();
            wakeAt = s.wakeAt();
            evidence = new ArrayList<>(s.evidence());
            looks = s.looks();
            weights = new ArrayList<>(s.weights());
            verdictAt = s.verdictAt();
            lastOutcome = s.lastOutcome();
            lastReason = s.lastReason();
            finished = s.finished();
        }

        void closeWindow() {
            window = null;
            gate = null;
            afterSwitchDecided = true;
        }

        Round round(Instant at) {
            wakeAt = at;
            return new Round(freeze(), at);
        }

        VmRunState freeze() {
            return new VmRunState(rollout, seen, pendingGate, gate, window, afterSwitchDecided, retryWeight, writeFailures,
                    wakeAt, evidence, looks, weights, verdictAt, lastOutcome, lastReason, finished);
        }
    }
}
