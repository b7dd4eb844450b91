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
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drives one canary rollout on a traffic router with a metrics gate: the shell loop around the
 * engine's {@link Progression}. It carries out each intent, reports what happened, and sleeps only
 * where the engine says to wait. VM targets have nothing to scale: stable servers stay up, and an
 * aborted canary is left at weight 0.
 */
public final class VmRollout {

    /** What happened: the final state, every gate look's evidence, the weights over time, the verdict. */
    public record Result(RolloutState state, List<Evidence> evidence, List<GateChart.WeightStep> weights,
            Instant verdictAt, GateDecision lastGate) {
    }

    private final TrafficRouter router;
    private final MetricSource metrics;
    private final GateSpec gate;
    private final Map<String, String> placeholders;
    private final Clock clock;
    private final Consumer<String> progress;

    public VmRollout(TrafficRouter router, MetricSource metrics, GateSpec gate, Map<String, String> placeholders,
            Clock clock, Consumer<String> progress) {
        this.router = router;
        this.metrics = metrics;
        this.gate = gate;
        this.placeholders = Map.copyOf(placeholders);
        this.clock = clock;
        this.progress = progress;
    }

    /** Attempts, one a second, to put traffic back on stable before giving up with the state unknown. */
    static final int ABORT_WRITE_ATTEMPTS = 30;

    /**
     * @throws IOException the rollout was aborting and traffic could not be put back on stable after
     *                     {@link #ABORT_WRITE_ATTEMPTS} attempts: the traffic split is unknown
     */
    public Result drive(RolloutSpec spec) throws IOException, InterruptedException {
        int abortWriteFailures = 0;
        RolloutState state = RolloutState.start();
        Observation seen = Observation.started();
        List<Evidence> evidence = new ArrayList<>();
        List<GateChart.WeightStep> weights = new ArrayList<>();
        GateState gateState = null;
        GateDecision lastGate = null;
        Instant verdictAt = null;
        while (!Progression.isFinished(spec, state)) {
            Decision decision = Progression.next(spec, state, seen, clock.instant());
            state = decision.state();
            seen = Observation.done();
            for (Intent intent : decision.intents()) {
                if (intent instanceof Intent.SetCanaryWeight set) {
                    try {
                        router.setCanaryWeight(set.weight());
                        weights.add(new GateChart.WeightStep(clock.instant(), set.weight().percent()));
                        progress.accept("canary weight " + set.weight() + " confirmed on every load balancer");
                    } catch (IOException e) {
                        progress.accept("setting canary weight " + set.weight() + " failed: " + e.getMessage());
                        if (state.phase() == Phase.ABORTING) {
                            if (++abortWriteFailures >= ABORT_WRITE_ATTEMPTS) {
                                throw new IOException("could not put traffic back on stable after " + abortWriteFailures
                                        + " attempts; the traffic split is UNKNOWN: " + e.getMessage(), e);
                            }
                            Thread.sleep(1000);
                        }
                        seen = Observation.intentFailed(e.getMessage());
                        break;
                    }
                } else if (intent instanceof Intent.RunGate run) {
                    if (gateState == null) {
                        gateState = GateState.start(clock.instant());
                    }
                    Thread.sleep(gate.interval().toMillis());
                    GateEvaluator.Look look = GateProbe.lookOnce(gate, gateState, metrics, placeholders, clock.instant());
                    gateState = look.state();
                    lastGate = look.decision();
                    evidence.addAll(lastGate.evidence());
                    if (lastGate.finished() || lastGate.outcome() != GateDecision.Outcome.HOLD) {
                        progress.accept("gate " + run.name() + ": " + lastGate.outcome() + " — " + lastGate.reason());
                        if (lastGate.outcome() == GateDecision.Outcome.ROLLBACK) {
                            verdictAt = clock.instant();
                        }
                        gateState = null;
                    }
                    seen = Observation.gate(lastGate.outcome(), lastGate.reason());
                } else if (intent instanceof Intent.WaitUntil wait) {
                    if (wait.until() == null) {
                        throw new IllegalStateException("this rollout waits for a person to promote; the drill has none");
                    }
                    Thread.sleep(Math.max(0, Duration.between(clock.instant(), wait.until()).toMillis()));
                } else if (intent instanceof Intent.EnsureStableReady) {
                    progress.accept("stable servers stay up on VM targets: nothing to scale");
                } else if (intent instanceof Intent.ScaleDownCanary) {
                    progress.accept("canary servers left at weight 0 (VM targets are not scaled)");
                } else if (intent instanceof Intent.Done done) {
                    progress.accept("rollout " + done.outcome() + ": " + done.reason());
                } else {
                    throw new IllegalStateException("a canary on a VM target cannot carry out " + intent);
                }
            }
        }
        return new Result(state, evidence, weights, verdictAt, lastGate);
    }
}
