package dev.rollbackdeploy.gate;

import java.util.Locale;

/**
 * One value against optional bounds. A {@code guardrail} is a "must never exceed" bound: crossing it
 * fails the gate at once, whatever the failure budget.
 *
 * @param min lowest acceptable value, or NaN for none
 * @param max highest acceptable value, or NaN for none
 */
public record ThresholdJudge(double min, double max, boolean guardrail) {

    public ThresholdJudge {
        if (Double.isNaN(min) && Double.isNaN(max)) {
            throw new IllegalArgumentException("a threshold needs min, max or both, got neither");
        }
        if (Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("threshold bounds must be finite, got min=" + min + ", max=" + max);
        }
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            throw new IllegalArgumentException("threshold min must not exceed max, got min=" + min + ", max=" + max);
        }
    }

    public static ThresholdJudge atMost(double max) {
        return new ThresholdJudge(Double.NaN, max, false);
    }

    public static ThresholdJudge atLeast(double min) {
        return new ThresholdJudge(min, Double.NaN, false);
    }

    public static ThresholdJudge neverAbove(double max) {
        return new ThresholdJudge(Double.NaN, max, true);
    }

    public Verdict judge(double value) {
        if (!Double.isFinite(value)) {
            return new Verdict.NoData("value is " + value + ": not a measurement");
        }
        String shown = String.format(Locale.ROOT, "%.6g", value);
        if (!Double.isNaN(max) && value > max) {
            return new Verdict.Fail(shown + " is above " + (guardrail ? "the guardrail " : "the maximum ") + max);
        }
        if (!Double.isNaN(min) && value < min) {
            return new Verdict.Fail(shown + " is below the minimum " + min);
        }
        return new Verdict.Pass(shown + " is within [" + (Double.isNaN(min) ? "-inf" : min) + ", "
                + (Double.isNaN(max) ? "+inf" : max) + "]");
    }
}
