package dev.rollbackdeploy.gate;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Kayenta-style comparison of two windows of samples (latency): a two-sided Mann-Whitney U test at
 * {@code confidence}, and a relative {@code tolerance} so a statistically clear but small shift is not
 * a failure. Fail needs both: p < 1 - confidence and canary median above baseline median by more than
 * the tolerance. Fewer than {@code minSamples} on either side is Inconclusive; no samples is NoData,
 * never the "score 100" Kayenta gives an empty group.
 *
 * <p>One window per look is a fixed-sample test: in a {@link GateSpec} the per-window alpha is the
 * metric's alpha divided by the number of looks (Bonferroni), so the rollout total stays bounded.
 */
public record MannWhitneyJudge(double confidence, double tolerance, int minSamples) {

    public static final MannWhitneyJudge KAYENTA_DEFAULTS = new MannWhitneyJudge(0.98, 0.25, 10);

    public MannWhitneyJudge {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 1, got " + confidence);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite relative effect >= 0, got " + tolerance);
        }
        if (minSamples < 3) {
            throw new IllegalArgumentException("minSamples must be at least 3, got " + minSamples);
        }
    }

    /** U counts the (canary, baseline) pairs where the canary is higher, ties counting half. */
    public record Result(Verdict verdict, double u, double pValue, double canaryMedian, double baselineMedian) {
    }

    public Result judge(double[] canary, double[] baseline) {
        double[] c = finite(canary);
        double[] b = finite(baseline);
        if (c.length == 0 || b.length == 0) {
            return new Result(new Verdict.NoData("no samples (canary " + c.length + ", baseline " + b.length
                    + "): an empty window is not a healthy one"), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double canaryMedian = median(c);
        double baselineMedian = median(b);
        if (c.length < minSamples || b.length < minSamples) {
            return new Result(new Verdict.Inconclusive("too few samples (canary " + c.length + ", baseline "
                    + b.length + "), need " + minSamples + " each"), Double.NaN, Double.NaN, canaryMedian, baselineMedian);
        }
        double u = canaryU(c, b);
        double p = new MannWhitneyUTest().mannWhitneyUTest(c, b);
        double allowed = baselineMedian + tolerance * Math.abs(baselineMedian);
        String numbers = String.format(Locale.ROOT, "U=%.1f, p=%.4g, canary median %.4g vs baseline %.4g (allowed %.4g)",
                u, p, canaryMedian, baselineMedian, allowed);
        Verdict verdict;
        if (p < 1 - confidence && canaryMedian > allowed) {
            verdict = new Verdict.Fail("canary is higher: " + numbers);
        } else {
            verdict = new Verdict.Pass("no shift beyond tolerance " + tolerance + ": " + numbers);
        }
        return new Result(verdict, u, p, canaryMedian, baselineMedian);
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

    private static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
