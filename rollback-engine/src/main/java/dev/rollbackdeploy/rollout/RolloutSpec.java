package dev.rollbackdeploy.rollout;

import java.time.Duration;
import java.util.List;

/**
 * How to roll out: the strategy, its steps, and the delays around an abort or a switch.
 *
 * @param abortScaleDownDelay how long the aborted canary stays up after traffic left it (for
 *                            in-flight requests and for looking at it)
 * @param scaleDownDelay      blue-green: how long the previous version stays warm after the switch,
 *                            so that a rollback inside the window is one switch (default 30 s)
 * @param progressDeadline    how long a workload may take to become ready before the rollout fails;
 *                            the shell watches it and reports {@link Observation#workloadFailed}
 */
public record RolloutSpec(Strategy strategy, List<RolloutStep> steps, Duration abortScaleDownDelay,
        Duration scaleDownDelay, Duration progressDeadline) {

    public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

    public enum Strategy { CANARY, BLUE_GREEN }

    public RolloutSpec {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must be CANARY or BLUE_GREEN, got null");
        }
        steps = List.copyOf(steps == null ? List.of() : steps);
        if (strategy == Strategy.CANARY && steps.isEmpty()) {
            throw new IllegalArgumentException("a canary needs at least one step, got none");
        }
        int last = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof RolloutStep.SetWeight set) {
                if (strategy == Strategy.BLUE_GREEN) {
                    throw new IllegalArgumentException("steps[" + i + "]: blue-green switches all at once; setWeight "
                            + set.weight() + " belongs to a canary");
                }
                if (set.weight().percent() < last) {
                    throw new IllegalArgumentException("steps[" + i + "]: weights must not decrease, got "
                            + set.weight() + " after " + last + "%");
                }
                last = set.weight().percent();
            }
        }
        requirePositive("abortScaleDownDelay", abortScaleDownDelay, true);
        requirePositive("scaleDownDelay", scaleDownDelay, true);
        requirePositive("progressDeadline", progressDeadline, false);
    }

    public static RolloutSpec canary(List<RolloutStep> steps) {
        return new RolloutSpec(Strategy.CANARY, steps, Duration.ofSeconds(30), DEFAULT_SCALE_DOWN_DELAY, Duration.ofMinutes(10));
    }

    public static RolloutSpec blueGreen(List<RolloutStep> previewSteps) {
        return new RolloutSpec(Strategy.BLUE_GREEN, previewSteps, Duration.ofSeconds(30), DEFAULT_SCALE_DOWN_DELAY,
                Duration.ofMinutes(10));
    }

    private static void requirePositive(String field, Duration value, boolean zeroAllowed) {
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(field + " must be " + (zeroAllowed ? "zero or positive" : "positive")
                    + ", got " + value);
        }
    }
}
