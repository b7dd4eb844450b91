package dev.rollbackdeploy.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 101, 140, Integer.MIN_VALUE})
    void rejectsOutOfRangeQuotingTheValue(int percent) {
        assertThatThrownBy(() -> Weight.of(percent)).hasMessage("weight must be 0..100, got " + percent);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 50, 99, 100})
    void complementAddsUpToAll(int percent) {
        assertThat(Weight.of(percent).percent() + Weight.of(percent).complement().percent()).isEqualTo(100);
    }
}
