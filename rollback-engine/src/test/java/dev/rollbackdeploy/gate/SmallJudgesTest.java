package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmallJudgesTest {

    @ParameterizedTest(name = "{0} requests, allowed {1}: {2}")
    @CsvSource({
            "0,    0.01,  NO_DATA",
            "1,    0.01,  ACCUMULATING",
            "299,  0.01,  ACCUMULATING",
            "300,  0.01,  PASS",
            "2999, 0.001, ACCUMULATING",
            "3000, 0.001, PASS",
    })
    void ruleOfThreeDecidesWhenCleanTrafficIsEnough(long requests, double allowed, String kind) {
        assertThat(MinimumEvidence.judge(requests, allowed).kind()).isEqualTo(kind);
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
