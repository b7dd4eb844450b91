package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmallJudgesTest {

    @ParameterizedTest(name = "{0} errors of {1} requests, allowed {2}: {3}")
    @CsvSource({
            "0,    0,    0.01,  NO_DATA",
            "0,    1,    0.01,  ACCUMULATING",
            "0,    299,  0.01,  ACCUMULATING",
            "0,    300,  0.01,  PASS",
            "0,    2999, 0.001, ACCUMULATING",
            "0,    3000, 0.001, PASS",
            "1546, 1546, 0.01,  INCONCLUSIVE",
            "1,    300,  0.01,  INCONCLUSIVE",
            "1,    475,  0.01,  PASS",
            "15,   1546, 0.01,  INCONCLUSIVE",
            "8,    1546, 0.01,  PASS",
    })
    void aPassNeedsTheCanarysOwnUpperBoundAtOrBelowTheAllowedRate(long errors, long requests, double allowed, String kind) {
        assertThat(MinimumEvidence.judge(errors, requests, allowed).kind()).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} errors of {1}: upper {2}, lower {3}")
    @CsvSource({
            // 1 - 0.05^(1/300) and the exact bounds of 0.5 at 5 of 10 (Beta quantiles).
            "0,  300, 0.009936, 0",
            "10, 10,  1,        0.741134",
            "5,  10,  0.777559, 0.222441",
    })
    void clopperPearsonBoundsMatchTheBetaQuantiles(long errors, long requests, double upper, double lower) {
        assertThat(MinimumEvidence.upperBound(errors, requests, 0.95)).isCloseTo(upper, within(1e-5));
        assertThat(MinimumEvidence.lowerBound(errors, requests, 0.95)).isCloseTo(lower, within(1e-5));
    }

    @ParameterizedTest(name = "value {0} against min {1} max {2} guardrail {3}: {4}")
    @CsvSource({
            "0.5,   NaN, 1.0, false, PASS",
            "1.0,   NaN, 1.0, false, PASS",
            "1.01,  NaN, 1.0, false, FAIL",
            "1.01,  NaN, 1.0, true,  FAIL",
            "0.2,   0.5, NaN, false, FAIL",
            "0.7,   0.5, 0.9, false, PASS",
            "NaN,   NaN, 1.0, false, NO_DATA",
            "Infinity, NaN, 1.0, false, NO_DATA",
    })
    void thresholdJudgesOneValue(double value, double min, double max, boolean guardrail, String kind) {
        assertThat(new ThresholdJudge(min, max, guardrail).judge(value).kind()).isEqualTo(kind);
    }

    @ParameterizedTest(name = "min {0} max {1}: {2}")
    @CsvSource({
            "NaN, NaN, 'needs min, max or both'",
            "2.0, 1.0, 'min=2.0, max=1.0'",
    })
    void thresholdRejectsBoundsThatCannotBeMet(double min, double max, String message) {
        assertThatThrownBy(() -> new ThresholdJudge(min, max, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
