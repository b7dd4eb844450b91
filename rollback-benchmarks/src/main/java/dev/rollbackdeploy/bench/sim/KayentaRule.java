package dev.rollbackdeploy.bench.sim;

import dev.rollbackdeploy.gate.MannWhitneyJudge;
import dev.rollbackdeploy.gate.Verdict;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Kayenta-style: per window, Mann-Whitney U between the canary's and the baseline's per-sample error
 * rates (confidence 0.98, tolerance 0.25); roll back on the first failing window, promote after the
 * last. Samples without canary requests are left out; a window short of samples is not a failure.
 */
public final class KayentaRule implements GateRule {

    private final MannWhitneyJudge judge;
    private final int ticksPerSample;
    private final int samplesPerWindow;
    private final int windows;
    private final double[] canary;
    private final double[] baseline;
    private int samples;
    private int windowsDone;
    private long sampleCanaryRequests;
    private long sampleCanaryErrors;
    private long sampleBaselineRequests;
    private long sampleBaselineErrors;
    private long requests;

    public KayentaRule(MannWhitneyJudge judge, int ticksPerSample, int samplesPerWindow, int windows) {
        this.judge = judge;
        this.ticksPerSample = ticksPerSample;
        this.samplesPerWindow = samplesPerWindow;
        this.windows = windows;
        this.canary = new double[samplesPerWindow];
        this.baseline = new double[samplesPerWindow];
    }

    @Override
    public Call observe(Tick tick, SplittableRandom random) {
        requests += tick.canaryRequests();
        sampleCanaryRequests += tick.canaryRequests();
        sampleCanaryErrors += tick.canaryErrors();
        sampleBaselineRequests += tick.baselineRequests();
        sampleBaselineErrors += tick.baselineErrors();
        if (tick.index() % ticksPerSample != 0) {
            return Call.CONTINUE;
        }
        canary[samples] = sampleCanaryRequests == 0 ? Double.NaN : (double) sampleCanaryErrors / sampleCanaryRequests;
        baseline[samples] = sampleBaselineRequests == 0 ? Double.NaN : (double) sampleBaselineErrors / sampleBaselineRequests;
        samples++;
        sampleCanaryRequests = 0;
        sampleCanaryErrors = 0;
        sampleBaselineRequests = 0;
        sampleBaselineErrors = 0;
        if (samples < samplesPerWindow) {
            return Call.CONTINUE;
        }
        samples = 0;
        windowsDone++;
        Verdict verdict = judge.judge(canary, baseline).verdict();
        Arrays.fill(canary, Double.NaN);
        Arrays.fill(baseline, Double.NaN);
        if (verdict instanceof Verdict.Fail) {
            return Call.ROLLBACK;
        }
        return windowsDone >= windows ? Call.PROMOTE : Call.CONTINUE;
    }

    @Override
    public long requestsSeen() {
        return requests;
    }
}
