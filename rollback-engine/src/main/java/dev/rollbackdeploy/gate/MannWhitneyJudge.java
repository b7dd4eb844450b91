package dev.rollbackdeploy.gate;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Kayenta-style comparison of two windows of samples: a two-sided Mann-Whitney U test at
 * {@code confidence} says whether the canary differs and which way (its U against n*m/2), and the
 * ratio of the means ({@link EffectSize}) says whether the difference is large enough to matter. A Fail
 * needs both, in a {@link Direction} the metric cares about. The test runs on ranks, so it sees a
 * metric that is mostly zeros; the effect is judged on means, because a median of mostly zeros is 0
 * on both sides whatever the rest does (issue 9: baseline 60 x 0, canary 31 x 0 + 29 x 100, p ~ 5e-6,
 * passed on medians). Fewer than {@code minSamples} on either side is Inconclusive; no samples is
 * NoData, never the "score 100" Kayenta gives an empty group.
 *
 * <p>One window per look is a fixed-sample test: in a {@link GateSpec} the per-window alpha is the
 * metric's alpha divided by the number of looks (Bonferroni), so the rollout total stays bounded.
 */
public record MannWhitneyJudge(double confidence, Direction direction, EffectSize effect, int minSamples) {

    /** Which way a change is bad, as Kayenta's metric {@code direction}. */
    public enum Direction {
        INCREASE, DECREASE, EITHER;

        boolean watchesIncrease() {
            return this != DECREASE;
        }

        boolean watchesDecrease() {
            return this != INCREASE;
        }
    }

    public static final MannWhitneyJudge KAYENTA_DEFAULTS = new MannWhitneyJudge(0.98, 0.25, 10);

    public MannWhitneyJudge {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 1, got " + confidence);
        }
        if (direction == null || effect == null) {
            throw new IllegalArgumentException("a comparison needs a direction and an effect size, got "
                    + direction + " and " + effect);
        }
        if (minSamples < 3) {
            throw new IllegalArgumentException("minSamples must be at least 3, got " + minSamples);
        }
    }

    /** An increase beyond {@code 1 + tolerance} of the baseline's mean fails. */
    public MannWhitneyJudge(double confidence, double tolerance, int minSamples) {
        this(confidence, Direction.INCREASE, EffectSize.tolerance(tolerance), minSamples);
    }

    public MannWhitneyJudge withConfidence(double value) {
        return new MannWhitneyJudge(value, direction, effect, minSamples);
    }

    /**
     * U counts the (canary, baseline) pairs where the canary is higher, ties counting half.
     * {@code critical} marks a Fail beyond the critical effect size.
     */
    public record Result(Verdict verdict, double u, double pValue, double canaryMean, double baselineMean,
                         double meanRatio, boolean critical) {
    }

    public Result judge(double[] canary, double[] baseline) {
        double[] c = finite(canary);
        double[] b = finite(baseline);
        if (c.length == 0 || b.length == 0) {
            return new Result(new Verdict.NoData("no samples (canary " + c.length + ", baseline " + b.length
                    + "): an empty window is not a healthy one"), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, false);
        }
        double canaryMean = mean(c);
        double baselineMean = mean(b);
        double ratio = EffectSize.ratio(canaryMean, baselineMean);
        if (c.length < minSamples || b.length < minSamples) {
            return new Result(new Verdict.Inconclusive("too few samples (canary " + c.length + ", baseline "
                    + b.length + "), need " + minSamples + " each"), Double.NaN, Double.NaN, canaryMean, baselineMean,
                    ratio, false);
        }
        double u = canaryU(c, b);
        double half = (double) c.length * b.length / 2;
        // Every value equal on both sides: no variance to test with, and nothing moved.
        double p = allEqual(c, b) ? 1 : new MannWhitneyUTest().mannWhitneyUTest(c, b);
        String numbers = String.format(Locale.ROOT, "U=%.1f of %.0f, p=%.4g, canary mean %.4g vs baseline %.4g"
                + " (ratio %.4g; %s)", u, 2 * half, p, canaryMean, baselineMean, ratio, effect);
        boolean significant = p < 1 - confidence;
        if (significant && u > half && direction.watchesIncrease() && ratio > effect.allowedIncrease()) {
            boolean critical = ratio >= effect.criticalIncrease();
            return new Result(new Verdict.Fail("canary is higher" + (critical ? " beyond the critical increase" : "")
                    + ": " + numbers), u, p, canaryMean, baselineMean, ratio, critical);
        }
        if (significant && u < half && direction.watchesDecrease() && ratio < effect.allowedDecrease()) {
            boolean critical = ratio <= effect.criticalDecrease();
            return new Result(new Verdict.Fail("canary is lower" + (critical ? " beyond the critical decrease" : "")
                    + ": " + numbers), u, p, canaryMean, baselineMean, ratio, critical);
        }
        return new Result(new Verdict.Pass("no " + direction.name().toLowerCase(Locale.ROOT)
                + " beyond the allowed effect: " + numbers), u, p, canaryMean, baselineMean, ratio, false);
    }

    /** U of the canary sample from mid-ranks: R_canary - n(n+1)/2. */
    static double canaryU(double[] canary, double[] baseline) {
        double[] all = new double[canary.length + baseline.length];
        System.arraycopy(canary, 0, all, 0, canary.length);
        System.arraycopy(baseline, 0, all, canary.length, baseline.length);
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(all);
        double rankSum = 0;
        for (int i = 0; i < canary.length; i++) {
            rankSum += ranks[i];
        }
        return rankSum - canary.length * (canary.length + 1) / 2.0;
    }

    private static boolean allEqual(double[] c, double[] b) {
        double first = c[0];
        return Arrays.stream(c).allMatch(v -> v == first) && Arrays.stream(b).allMatch(v -> v == first);
    }

    private static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
