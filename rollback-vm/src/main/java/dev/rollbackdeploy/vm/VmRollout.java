package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.TrafficRouter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A blocking rollout on a VM target for callers that may wait (the CLI, the drills): a thin loop over
 * {@link VmRun}'s rounds that sleeps until each round's "call again" instant. Everything the rollout
 * decides is in {@link VmRun}; this class only waits.
 */
public final class VmRollout {

    /** What happened: the final state, the gate looks' evidence, the weights over time, the verdict. */
    public record Result(RolloutState state, List<Evidence> evidence, List<GateChart.WeightStep> weights,
            Instant verdictAt, GateDecision lastGate) {

        /** The result a run's final state holds. */
        public static Result of(VmRunState state) {
            GateDecision last = state.lastOutcome() == null ? null
                    : new GateDecision(state.lastOutcome(), true, state.lastReason(), List.of());
            return new Result(state.rollout(), state.evidence(), state.weights(), state.verdictAt(), last);
        }

        /** The same evidence with another final state (a rollout stopped from outside). */
        public Result withState(RolloutState end) {
            return new Result(end, evidence, weights, verdictAt, lastGate);
        }
    }

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
     * @param afterSwitch blue-green: the gate watching the new version in the warm window, or null for a canary
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

    /**
     * @throws IOException the rollout was putting traffic back on the old version and could not: the
     *                     traffic split is unknown
     */
    public Result drive(RolloutSpec spec) throws IOException, InterruptedException {
        VmRun run = new VmRun(spec, router, metrics, gate, afterSwitch, placeholders, progress);
        return Result.of(driveToEnd(run, VmRunState.start(), clock));
    }

    /** Calls {@code run} round after round, sleeping in between, until the rollout is over. */
    public static VmRunState driveToEnd(VmRun run, VmRunState state, Clock clock) throws IOException, InterruptedException {
        VmRunState s = state;
        while (true) {
            VmRun.Round round = run.advance(s, clock.instant());
            s = round.state();
            if (round.finished()) {
                return s;
            }
            Duration left = Duration.between(clock.instant(), round.callAgainAt());
            if (!left.isNegative() && !left.isZero()) {
                Thread.sleep(left.toMillis(), (int) (left.toNanosPart() % 1_000_000));
            }
        }
    }
}
