package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MannWhitneyJudgeTest {

    // A textbook worked example (two groups' scores, 9 vs 12 values, with ties): the afternoon group
    // ranks give U = 80 (and 28 for the morning group), mean 54, variance 198, z = -1.8477 and a
    // one-tailed normal p of 0.03232, so two-sided p = 0.06464.
    private static final double[] MORNING = {66, 70, 73, 75, 75, 79, 82, 87, 95};
    private static final double[] AFTERNOON = {53, 81, 83, 84, 84, 84, 85, 86, 88, 90, 91, 92};

    @Test
    void reproducesTheWorkedExampleUAndPValue() {
        MannWhitneyJudge.Result result = new MannWhitneyJudge(0.98, 0.25, 5).judge(AFTERNOON, MORNING);

        assertThat(result.u()).isEqualTo(80.0);
        assertThat(MannWhitneyJudge.canaryU(MORNING, AFTERNOON)).isEqualTo(28.0);
        assertThat(result.pValue()).isCloseTo(0.06464, within(5e-5));
        // p > 0.02: not significant at Kayenta's 0.98 confidence.
        assertThat(result.verdict()).isInstanceOf(Verdict.Pass.class);
    }

    @Test
    void failsAClearShiftBeyondTolerance() {
        double[] baseline = DoubleStream.iterate(100, x -> x + 1).limit(20).toArray();
        double[] canary = DoubleStream.iterate(200, x -> x + 1).limit(20).toArray();

        MannWhitneyJudge.Result result = MannWhitneyJudge.KAYENTA_DEFAULTS.judge(canary, baseline);

        assertThat(result.verdict()).isInstanceOf(Verdict.Fail.class);
        assertThat(result.u()).isEqualTo(400.0);
        assertThat(result.pValue()).isLessThan(0.02);
    }

    @Test
    void passesAClearShiftWithinTolerance() {
        double[] baseline = DoubleStream.iterate(100, x -> x + 0.1).limit(20).toArray();
        double[] canary = DoubleStream.iterate(110, x -> x + 0.1).limit(20).toArray();

        MannWhitneyJudge.Result result = MannWhitneyJudge.KAYENTA_DEFAULTS.judge(canary, baseline);

        assertThat(result.pValue()).isLessThan(0.02);
        assertThat(result.verdict()).isInstanceOf(Verdict.Pass.class);
    }

    @Test
    void tooFewSamplesIsInconclusiveNeverPass() {
        MannWhitneyJudge.Result result = MannWhitneyJudge.KAYENTA_DEFAULTS.judge(new double[] {1, 2, 3}, MORNING);

        assertThat(result.verdict()).isInstanceOf(Verdict.Inconclusive.class);
        assertThat(result.verdict().reason()).contains("need 10 each");
    }

    @Test
    void emptyOrNanWindowIsNoData() {
        MannWhitneyJudge.Result result = MannWhitneyJudge.KAYENTA_DEFAULTS.judge(new double[] {Double.NaN}, MORNING);

        assertThat(result.verdict()).isInstanceOf(Verdict.NoData.class);
    }

    private static double[] repeat(int times, double value) {
        return DoubleStream.generate(() -> value).limit(times).toArray();
    }

    private static double[] concat(double[] a, double[] b) {
        return DoubleStream.concat(DoubleStream.of(a), DoubleStream.of(b)).toArray();
    }

    @Test
    void failsAMetricThatIsMostlyZerosWhenAThirdOfTheCanarysSamplesJump() {
        // Issue 9: both medians are 0, so a median-based effect passed a p ~ 5e-6 shift.
        double[] baseline = repeat(60, 0);
        double[] canary = concat(repeat(31, 0), repeat(29, 100));

        MannWhitneyJudge.Result result = MannWhitneyJudge.KAYENTA_DEFAULTS.judge(canary, baseline);

        assertThat(result.pValue()).isLessThan(1e-4);
        assertThat(result.meanRatio()).isInfinite();
        assertThat(result.verdict()).isInstanceOf(Verdict.Fail.class);
        assertThat(result.verdict().reason()).contains("canary is higher");
    }

    @Test
    void zerosOnBothSidesAreNoShift() {
        MannWhitneyJudge.Result result = MannWhitneyJudge.KAYENTA_DEFAULTS.judge(repeat(30, 0), repeat(30, 0));

        assertThat(result.verdict()).isInstanceOf(Verdict.Pass.class);
        assertThat(result.meanRatio()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "canary at {0}x of baseline, direction {1}, allowed up {2} down {3}, critical up {4}: {5}")
    @CsvSource({
            "2.0, INCREASE, 1.25, 0.8, 1.25, FAIL_CRITICAL",
            "2.0, DECREASE, 1.25, 0.8, 1.25, PASS",
            "2.0, EITHER,   1.25, 0.8, 1.25, FAIL_CRITICAL",
            "0.5, INCREASE, 1.25, 0.8, 1.25, PASS",
            "0.5, DECREASE, 1.25, 0.8, 1.25, FAIL_CRITICAL",
            "0.5, EITHER,   1.25, 0.8, 1.25, FAIL_CRITICAL",
            "2.0, INCREASE, 2.5,  0.8, 2.5,  PASS",
            "2.0, INCREASE, 1.5,  0.8, 3.0,  FAIL",
            "1.1, EITHER,   1.25, 0.8, 1.25, PASS",
    })
    void judgesTheDirectionAndEffectSizeKayentaUsersDeclare(double factor, MannWhitneyJudge.Direction direction,
                                                           double allowedIncrease, double allowedDecrease,
                                                           double criticalIncrease, String expected) {
        double[] baseline = DoubleStream.iterate(100, x -> x + 0.5).limit(30).toArray();
        double[] canary = DoubleStream.of(baseline).map(x -> x * factor).toArray();
        MannWhitneyJudge judge = new MannWhitneyJudge(0.98, direction,
                new EffectSize(allowedIncrease, allowedDecrease, criticalIncrease, allowedDecrease), 10);

        MannWhitneyJudge.Result result = judge.judge(canary, baseline);

        String kind = result.verdict().kind() + (result.critical() ? "_CRITICAL" : "");
        assertThat(kind).isEqualTo(expected);
    }
}
