package dev.rollbackdeploy.gate;

import java.util.Locale;

/**
 * How large a shift in the mean must be before a comparison may fail, as Kayenta's {@code effectSize}
 * names it: ratios of the canary's mean to the baseline's. A significant increase fails only above
 * {@code allowedIncrease}, a significant decrease only below {@code allowedDecrease}; beyond
 * {@code criticalIncrease} / {@code criticalDecrease} the failure of a critical metric fails the whole
 * gate at once.
 *
 * <p>The mean sees what a median cannot: a metric that is mostly zeros (errors per second, retries)
 * has median 0 on both sides even when a third of the canary's samples are 100 (issue 9). When the
 * baseline's mean is 0 the ratio of any positive canary mean is infinite, which exceeds every bound;
 * for means that can be negative the ratio is read as 1 + (canary - baseline) / |baseline|.
 */
public record EffectSize(double allowedIncrease, double allowedDecrease, double criticalIncrease,
                         double criticalDecrease) {

    public EffectSize {
        if (!(allowedIncrease >= 1) || Double.isInfinite(allowedIncrease)) {
            throw new IllegalArgumentException("allowedIncrease must be a finite ratio >= 1, got " + allowedIncrease);
        }
        if (!(allowedDecrease > 0 && allowedDecrease <= 1)) {
            throw new IllegalArgumentException("allowedDecrease must be a ratio in (0, 1], got " + allowedDecrease);
        }
        if (!(criticalIncrease >= allowedIncrease)) {
            throw new IllegalArgumentException("criticalIncrease must be at least allowedIncrease " + allowedIncrease
                    + ", got " + criticalIncrease);
        }
        if (!(criticalDecrease > 0 && criticalDecrease <= allowedDecrease)) {
            throw new IllegalArgumentException("criticalDecrease must be in (0, allowedDecrease " + allowedDecrease
                    + "], got " + criticalDecrease);
        }
    }

    /** A relative tolerance both ways: increase up to 1 + t, decrease down to 1 / (1 + t); critical = allowed. */
    public static EffectSize tolerance(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite relative effect >= 0, got " + tolerance);
        }
        return allowed(1 + tolerance, 1 / (1 + tolerance));
    }

    /** Allowed bounds that are also the critical ones. */
    public static EffectSize allowed(double allowedIncrease, double allowedDecrease) {
        return new EffectSize(allowedIncrease, allowedDecrease, allowedIncrease, allowedDecrease);
    }

    /** canary mean / baseline mean, read as 1 + (canary - baseline) / |baseline|; ±infinity over a zero baseline. */
    public static double ratio(double canaryMean, double baselineMean) {
        if (canaryMean == baselineMean) {
            return 1;
        }
        if (baselineMean == 0) {
            return canaryMean > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        return 1 + (canaryMean - baselineMean) / Math.abs(baselineMean);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "allowed %.3g..%.3g, critical beyond %.3g..%.3g", allowedDecrease,
                allowedIncrease, criticalDecrease, criticalIncrease);
    }
}
