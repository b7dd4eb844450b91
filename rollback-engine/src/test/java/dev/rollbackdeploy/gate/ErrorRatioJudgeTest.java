package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorRatioJudgeTest {

    private static final double ALPHA = 0.05;
    private static final double HEALTHY = 0.01;

    /** Looks of a few requests each until the horizon: many looks, the hardest case for validity. */
    private static Verdict rollout(ErrorRatioJudge judge, SplittableRandom random, double canaryRate,
                                   double baselineRate, int[] canaryPerLook, int[] baselinePerLook, int lookLimit) {
        ErrorRatioState state = ErrorRatioState.START;
        long ce = 0;
        long cr = 0;
        long be = 0;
        long br = 0;
        Verdict verdict = null;
        for (int look = 0; look < lookLimit; look++) {
            int phase = Math.min(look * canaryPerLook.length / lookLimit, canaryPerLook.length - 1);
            cr += canaryPerLook[phase];
            ce += errors(random, canaryPerLook[phase], canaryRate);
            br += baselinePerLook[phase];
            be += errors(random, baselinePerLook[phase], baselineRate);
            ErrorRatioJudge.Result result = judge.judge(state, new ErrorCounts(ce, cr, be, br));
            state = result.state();
            verdict = result.verdict();
            if (!(verdict instanceof Verdict.Inconclusive)) {
                return verdict;
            }
        }
        return verdict;
    }

    private static int errors(SplittableRandom random, int requests, double rate) {
        int errors = 0;
        for (int i = 0; i < requests; i++) {
            if (random.nextDouble() < rate) {
                errors++;
            }
        }
        return errors;
    }

    private static double rollbackRate(ErrorRatioJudge judge, double canaryRate, double baselineRate,
                                       int[] canaryPerLook, int[] baselinePerLook, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int runs = 2_000;
        int failed = 0;
        int looks = (int) (judge.horizon() / canaryPerLook[0]) + 1;
        for (int run = 0; run < runs; run++) {
            if (rollout(judge, random, canaryRate, baselineRate, canaryPerLook, baselinePerLook, looks)
                    instanceof Verdict.Fail) {
                failed++;
            }
        }
        return (double) failed / runs;
    }

    /** Three standard errors of margin over alpha; a naive per-look test would be far above it. */
    private static final double BOUND = ALPHA + 3 * Math.sqrt(ALPHA * (1 - ALPHA) / 2_000);

    @Test
    void falseRollbacksStayBelowAlphaUnderContinuousMonitoring() {
        // 2,000 healthy rollouts at a 10% share, one look every 5 canary requests up to the horizon.
        ErrorRatioJudge judge = new ErrorRatioJudge(ALPHA, HEALTHY, 10);

        double rate = rollbackRate(judge, HEALTHY, HEALTHY, new int[] {5}, new int[] {45}, 42);

        assertThat(rate).isLessThanOrEqualTo(BOUND);
    }

    @Test
    void falseRollbacksStayBelowAlphaWhenTheShareSteps() {
        // Weight steps 10% -> 25% -> 50% over ~64 looks with ~5 errors each: w is re-estimated per segment.
        ErrorRatioJudge judge = new ErrorRatioJudge(ALPHA, HEALTHY, 2);

        double rate = rollbackRate(judge, HEALTHY, HEALTHY, new int[] {50, 50, 50}, new int[] {450, 150, 50}, 7);

        assertThat(rate).isLessThanOrEqualTo(BOUND);
    }

    @Test
    void catchesATenfoldRegressionWithinTheHorizon() {
        ErrorRatioJudge judge = new ErrorRatioJudge(ALPHA, HEALTHY, 10);

        double power = rollbackRate(judge, 10 * HEALTHY, HEALTHY, new int[] {5}, new int[] {45}, 99);

        assertThat(power).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void ignoringAShareStepWouldMistakeAnErrorBurstForARegression() {
        ErrorRatioJudge judge = new ErrorRatioJudge(ALPHA, HEALTHY, 10);
        // At a 50% share both arms see a 5% error burst; then the canary steps down to 10% and both
        // arms are healthy. Equal rates throughout: no regression.
        ErrorRatioJudge.Result first = judge.judge(ErrorRatioState.START, new ErrorCounts(50, 1_000, 50, 1_000));
        ErrorRatioJudge.Result second = judge.judge(first.state(), new ErrorCounts(51, 2_000, 59, 10_000));
        // Pooled, 51 of 110 errors on a 1/6 request share looks like a large regression.
        double pooled = new BetaMixtureEProcess(2_000.0 / 12_000, 10).logE(51, 110);

        assertThat(pooled).isGreaterThan(judge.threshold());
        assertThat(second.state().segments()).isEqualTo(1);
        assertThat(second.logE()).isLessThan(judge.threshold());
        assertThat(second.verdict()).isNotInstanceOf(Verdict.Fail.class);
    }

    @Test
    void failsWithTheEvidenceInTheReason() {
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);

        ErrorRatioJudge.Result result = judge.judge(ErrorRatioState.START, new ErrorCounts(12, 1_000, 9, 9_000));

        assertThat(result.verdict()).isInstanceOf(Verdict.Fail.class);
        assertThat(result.verdict().reason()).contains("canary 12/1000 errors, baseline 9/9000");
        assertThat(result.logE()).isGreaterThanOrEqualTo(Math.log(100));
    }

    @Test
    void passesOnlyAtTheHorizon() {
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);
        long n = judge.horizon();

        Verdict before = judge.judge(ErrorRatioState.START, new ErrorCounts(0, n - 1, 9, 9 * n)).verdict();
        Verdict at = judge.judge(ErrorRatioState.START, new ErrorCounts(1, n, 9, 9 * n)).verdict();

        assertThat(before).isInstanceOf(Verdict.Inconclusive.class);
        assertThat(((Verdict.Inconclusive) before).accumulating()).isTrue();
        assertThat(at).isInstanceOf(Verdict.Pass.class);
        assertThat(n).isEqualTo(2 * 773);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a drained stable (issue 9's counts),   1546, 1546, 0, 0",
            "a baseline of one request,             1546, 1546, 0, 1",
            "a healthy baseline,                    1546, 1546, 9, 13914",
            "both arms broken alike,                1546, 1546, 13914, 13914",
    })
    void aCanaryAtAHundredPercentErrorsFailsAtTheHorizonWhateverTheBaseline(String baseline, long ce, long cr,
                                                                            long be, long br) {
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);

        Verdict verdict = judge.judge(ErrorRatioState.START, new ErrorCounts(ce, cr, be, br)).verdict();

        assertThat(verdict).isInstanceOf(Verdict.Fail.class);
    }

    @ParameterizedTest(name = "{0}: {5}")
    @CsvSource({
            "an idle baseline before the horizon,     0,  100,  0,   0,     NO_DATA",
            "an idle baseline at the horizon,         1,  1546, 0,   0,     NO_DATA",
            "a baseline of 100 requests,              1,  1546, 0,   100,   NO_DATA",
            "a baseline of 299 requests,              1,  1546, 0,   299,   NO_DATA",
            "both arms at 0.97% against 1% allowed,   15, 1546, 135, 13914, INCONCLUSIVE",
            "a healthy canary and baseline,           1,  1546, 9,   13914, PASS",
    })
    void passesOnlyWithABaselineToCompareWithAndTheCanarysOwnRateBounded(String what, long ce, long cr, long be,
                                                                         long br, String kind) {
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);

        Verdict verdict = judge.judge(ErrorRatioState.START, new ErrorCounts(ce, cr, be, br)).verdict();

        assertThat(verdict.kind()).isEqualTo(kind);
    }

    @Test
    void aBaselineDrainedHalfwayCannotHideABrokenCanary() {
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);
        // Healthy side by side for 200 canary requests, then stable is drained and the canary serves
        // everything at 50% errors: the share moves, the new segment has no baseline and adds nothing.
        ErrorRatioJudge.Result first = judge.judge(ErrorRatioState.START, new ErrorCounts(0, 200, 2, 1_800));
        ErrorRatioJudge.Result second = judge.judge(first.state(), new ErrorCounts(700, 1_600, 2, 1_800));

        assertThat(second.verdict()).isInstanceOf(Verdict.Fail.class);
        assertThat(second.verdict().reason()).contains("own error rate");
    }

    @Test
    void noCanaryTrafficIsNoDataAndBackwardsCountersAreNoData() {
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);
        ErrorRatioJudge.Result none = judge.judge(ErrorRatioState.START, new ErrorCounts(0, 0, 3, 900));
        ErrorRatioJudge.Result some = judge.judge(none.state(), new ErrorCounts(0, 100, 3, 1_800));
        ErrorRatioJudge.Result reset = judge.judge(some.state(), new ErrorCounts(0, 10, 0, 90));

        assertThat(none.verdict()).isInstanceOf(Verdict.NoData.class);
        assertThat(reset.verdict()).isInstanceOf(Verdict.NoData.class);
        assertThat(reset.verdict().reason()).contains("went backwards");
        assertThat(reset.state().last()).as("later looks compare with the reset counts").isEqualTo(reset.state().segmentStart())
                .isEqualTo(new ErrorCounts(0, 10, 0, 90));
        assertThat(reset.state().closedLogE()).isEqualTo(some.logE());
    }

    @Test
    void errorsThatGrewMoreThanRequestsBetweenTwoLooksAreNoDataNotACrash() {
        // Seen in CI against a real Prometheus: increase() extrapolates the error and request series apart, so
        // each look's counts are consistent (errors <= requests) but their difference is not (36 errors in 8
        // requests). The judge threw and the step failed with an exception instead of a verdict.
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);
        ErrorRatioJudge.Result first = judge.judge(ErrorRatioState.START, new ErrorCounts(10, 30, 0, 700));
        // 46 errors measured, clipped to the 38 requests (ErrorCounts.fromMeasured): 28 more errors, 8 more requests
        ErrorRatioJudge.Result second = judge.judge(first.state(), ErrorCounts.fromMeasured(46, 38, 0, 795));

        assertThat(second.verdict()).isInstanceOf(Verdict.NoData.class);
        assertThat(second.verdict().reason()).contains("errors grew more than requests");
        assertThat(second.state().closedLogE()).as("the evidence up to the last look is kept").isEqualTo(first.logE());
    }

    @Test
    void oneOverExtrapolatedLookDoesNotHoldAFailingCanaryUndecided() {
        // CI, real HAProxy + Prometheus, a canary failing ~40% of its requests: one look's request count was
        // extrapolated high (23/169), and every later look was compared with it ("errors grew more than
        // requests", 74/198 after 23/169) until 11 inconclusive looks rolled back for the wrong reason.
        ErrorRatioJudge judge = new ErrorRatioJudge(0.01, 0.001, 10);
        ErrorRatioJudge.Result result = judge.judge(ErrorRatioState.START, new ErrorCounts(2, 20, 0, 20));
        result = judge.judge(result.state(), new ErrorCounts(23, 169, 0, 34));
        result = judge.judge(result.state(), new ErrorCounts(74, 198, 0, 1_000));
        assertThat(result.verdict()).isInstanceOf(Verdict.NoData.class);

        long errors = 74;
        long requests = 198;
        long baseline = 1_000;
        int looks = 0;
        while (!(result.verdict() instanceof Verdict.Fail) && looks < 5) {
            errors += 5;
            requests += 8;
            baseline += 200;
            result = judge.judge(result.state(), new ErrorCounts(errors, requests, 0, baseline));
            looks++;
        }
        assertThat(result.verdict()).as("after %d more looks", looks).isInstanceOf(Verdict.Fail.class);
        assertThat(result.verdict().reason()).contains("canary error rate is above baseline");
    }

    @Test
    void rejectsAHorizonShorterThanTheRuleOfThree() {
        assertThatThrownBy(() -> new ErrorRatioJudge(0.01, 0.001, 10, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least the 300 requests")
                .hasMessageContaining("got 100");
    }
}
