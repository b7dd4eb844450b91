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
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives one rollout on a VM target's traffic router with a metrics gate: the shell loop around the
 * engine's {@link Progression}. It carries out each intent, reports what happened, and sleeps only
 * where the engine says to wait. VM targets have nothing to scale: stable servers stay up, and an
 * aborted canary (or a blue-green previous version) is left at weight 0, still running.
 *
 * <p>Canary: the router's canary share follows the steps, with the gate after each shift. Blue-green:
 * the "canary" servers are the new (green) version; the switch gives them all new requests in one
 * weight change per load balancer, and the old (blue) servers keep running at weight 0 for the
 * rollout's scale-down delay. During that warm window the {@code afterSwitch} gate watches the new
 * version alone (there is no concurrent baseline any more); a rollback inside the window is one switch
 * back. A window in which the gate never saw enough data to pass also switches back: missing data is
 * never taken as healthy.
 */
public final class VmRollout {

    /** What happened: the final state, every gate look's evidence, the weights over time, the verdict. */
    public record Result(RolloutState state, List<Evidence> evidence, List<GateChart.WeightStep> weights,
            Instant verdictAt, GateDecision lastGate) {
    }

    /** Attempts, one a second, to put traffic back on stable before giving up with the state unknown. */
    static final int ABORT_WRITE_ATTEMPTS = 30;

    private final TrafficRouter router;
    private final MetricSource metrics;
    private final GateSpec gate;
    private final GateSpec afterSwitch;
    private final Map<String, String> placeholders;
    private final Clock clock;
    private final Consumer<String> progress;

    public VmRollout(TrafficRouter router, MetricSource metrics, GateSpec gate, Map<String, String> placeholders,
            Clock clock, Consumer<String> progress) {
        this(router, metrics, gate, null, placeholders, clock, progress);
    }

    /**
     * @param gate        the gate of the rollout's Gate steps (canary), or null when there are none
     * @param afterSwitch blue-green: the gate watching the new version in the warm window, or null for a
     *                    canary
     */
    public VmRollout(TrafficRouter router, MetricSource metrics, GateSpec gate, GateSpec afterSwitch,
            Map<String, String> placeholders, Clock clock, Consumer<String> progress) {
        this.router = router;
        this.metrics = metrics;
        this.gate = gate;
        this.afterSwitch = afterSwitch;
        this.placeholders = Map.copyOf(placeholders);
        this.clock = clock;
        this.progress = progress;
    }

    /** The loop's own state between intents. */
    private final class Run {
        final RolloutSpec spec;
        RolloutState state = RolloutState.start();
        Observation seen = Observation.started();
        final List<Evidence> evidence = new ArrayList<>();
        final List<GateChart.WeightStep> weights = new ArrayList<>();
        GateState gateState;
        GateDecision lastGate;
        Instant verdictAt;
        int trafficWriteFailures;
        boolean afterSwitchDecided;

        Run(RolloutSpec spec) {
            this.spec = spec;
        }
    }

    /**
     * @throws IOException the rollout was putting traffic back on the old version and could not after
     *                     {@link #ABORT_WRITE_ATTEMPTS} attempts: the traffic split is unknown
     */
    public Result drive(RolloutSpec spec) throws IOException, InterruptedException {
        if (spec.strategy() == RolloutSpec.Strategy.BLUE_GREEN && afterSwitch == null) {
            throw new IllegalArgumentException("a blue-green rollout on a VM target needs an afterSwitch gate, got none");
        }
        Run run = new Run(spec);
        while (!Progression.isFinished(spec, run.state)) {
            Decision decision = Progression.next(spec, run.state, run.seen, clock.instant());
            run.state = decision.state();
            run.seen = Observation.done();
            for (Intent intent : decision.intents()) {
                if (!carryOut(run, intent)) {
                    break;
                }
            }
        }
        return new Result(run.state, run.evidence, run.weights, run.verdictAt, run.lastGate);
    }

    /** Carries out one intent; false when the rest of the decision's intents must not run. */
    private boolean carryOut(Run run, Intent intent) throws IOException, InterruptedException {
        if (intent instanceof Intent.SetCanaryWeight set) {
            return setWeight(run, set.weight(), "canary weight " + set.weight(), run.state.phase() == Phase.ABORTING);
        } else if (intent instanceof Intent.SwitchActive to) {
            if (to.to() == Intent.Side.PREVIEW) {
                if (!setWeight(run, Weight.ALL, "switch to the new version", false)) {
                    // Half switched or not at all: go back to the old version, which is still warm.
                    run.seen = Observation.workloadFailed("the switch to the new version was not confirmed: "
                            + run.seen.intentFailed());
                    return false;
                }
                return true;
            }
            return setWeight(run, Weight.NONE, "switch back to the previous version", true);
        } else if (intent instanceof Intent.RunGate gateStep) {
            Thread.sleep(gate.interval().toMillis());
            GateDecision decision = look(run, gate, gateStep.name());
            run.seen = Observation.gate(decision.outcome(), decision.reason());
        } else if (intent instanceof Intent.WaitUntil wait) {
            if (wait.until() == null) {
                throw new IllegalStateException("this rollout waits for a person to promote; a VM rollout run has none");
            }
            if (run.state.phase() == Phase.PROMOTED && afterSwitch != null && !run.afterSwitchDecided) {
                watchWarmWindow(run, wait.until());
            } else {
                sleepUntil(wait.until());
            }
        } else if (intent instanceof Intent.EnsureStableReady) {
            progress.accept("stable servers stay up on VM targets: nothing to scale");
        } else if (intent instanceof Intent.ScaleDownCanary) {
            progress.accept("canary servers left at weight 0 (VM targets are not scaled)");
        } else if (intent instanceof Intent.ScaleDownPrevious) {
            progress.accept("warm window over: the previous version's servers stay at weight 0 (VM targets are not scaled);"
                    + " a rollback from now on is a restore from its record");
        } else if (intent instanceof Intent.Done done) {
            progress.accept("rollout " + done.outcome() + ": " + done.reason());
        } else {
            throw new IllegalStateException("a rollout on a VM target cannot carry out " + intent);
        }
        return true;
    }

    /** Sets the canary share; a failure is reported to the engine, and retried once a second when putting traffic back. */
    private boolean setWeight(Run run, Weight weight, String what, boolean puttingBack)
            throws IOException, InterruptedException {
        while (true) {
            try {
                router.setCanaryWeight(weight);
                run.weights.add(new GateChart.WeightStep(clock.instant(), weight.percent()));
                progress.accept(what + " (canary share " + weight + ") confirmed on every load balancer");
                return true;
            } catch (IOException e) {
                progress.accept(what + " failed: " + e.getMessage());
                if (!puttingBack) {
                    run.seen = Observation.intentFailed(e.getMessage());
                    return false;
                }
                if (++run.trafficWriteFailures >= ABORT_WRITE_ATTEMPTS) {
                    throw new IOException("could not put traffic back on the previous version after " + run.trafficWriteFailures
                            + " attempts; the traffic split is UNKNOWN: " + e.getMessage(), e);
                }
                Thread.sleep(1000);
                if (run.state.phase() == Phase.ABORTING) {
                    // The engine asks for the write again itself (it holds everything else until it succeeds).
                    run.seen = Observation.intentFailed(e.getMessage());
                    return false;
                }
            }
        }
    }

    /**
     * Blue-green's warm window: looks of the afterSwitch gate until it decides or the window ends. A
     * rollback verdict, or no verdict by the end of the window, switches back.
     */
    private void watchWarmWindow(Run run, Instant windowEnd) throws InterruptedException {
        while (clock.instant().isBefore(windowEnd)) {
            Thread.sleep(Math.min(afterSwitch.interval().toMillis(),
                    Math.max(1, Duration.between(clock.instant(), windowEnd).toMillis())));
            GateDecision decision = look(run, afterSwitch, "after-switch");
            if (decision.outcome() == GateDecision.Outcome.ROLLBACK) {
                run.afterSwitchDecided = true;
                run.seen = Observation.gate(GateDecision.Outcome.ROLLBACK, decision.reason());
                return;
            }
            if (decision.outcome() == GateDecision.Outcome.PROMOTE) {
                run.afterSwitchDecided = true;
                progress.accept("keeping the previous version warm until " + windowEnd);
                sleepUntil(windowEnd);
                return;
            }
        }
        run.afterSwitchDecided = true;
        String reason = "the warm window ended before the after-switch gate saw enough data to pass"
                + Optional.ofNullable(run.lastGate).map(g -> ": " + g.reason()).orElse("");
        progress.accept(reason);
        run.verdictAt = clock.instant();
        run.seen = Observation.gate(GateDecision.Outcome.ROLLBACK, reason);
    }

    private GateDecision look(Run run, GateSpec spec, String name) throws InterruptedException {
        if (run.gateState == null) {
            run.gateState = GateState.start(clock.instant());
        }
        GateEvaluator.Look look = GateProbe.lookOnce(spec, run.gateState, metrics, placeholders, clock.instant());
        run.gateState = look.state();
        run.lastGate = look.decision();
        run.evidence.addAll(run.lastGate.evidence());
        if (run.lastGate.finished() || run.lastGate.outcome() != GateDecision.Outcome.HOLD) {
            progress.accept("gate " + name + ": " + run.lastGate.outcome() + " — " + run.lastGate.reason());
            if (run.lastGate.outcome() == GateDecision.Outcome.ROLLBACK) {
                run.verdictAt = clock.instant();
            }
            run.gateState = null;
        }
        return run.lastGate;
    }

    private void sleepUntil(Instant until) throws InterruptedException {
        Thread.sleep(Math.max(0, Duration.between(clock.instant(), until).toMillis()));
    }
}
