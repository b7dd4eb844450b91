package dev.rollbackdeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutInputTest {

    @Test
    void rejectsAnEmptyCanary() {
        assertThatThrownBy(() -> RolloutSpec.canary(List.of())).hasMessage("a canary needs at least one step, got none");
    }

    @Test
    void rejectsDecreasingWeightsNamingTheStep() {
        assertThatThrownBy(() -> RolloutSpec.canary(List.of(new RolloutStep.SetWeight(Weight.of(50)),
                new RolloutStep.SetWeight(Weight.of(25))))).hasMessage("steps[1]: weights must not decrease, got 25% after 50%");
    }

    @Test
    void rejectsANegativePauseAndAWeightOfOneHundredForty() {
        assertThatThrownBy(() -> new RolloutStep.Pause(Duration.ofSeconds(-5))).hasMessage("pause duration must be positive, got PT-5S");
        assertThatThrownBy(() -> new RolloutStep.SetWeight(Weight.of(140))).hasMessage("weight must be 0..100, got 140");
    }

    @Test
    void rejectsSetWeightInBlueGreen() {
        assertThatThrownBy(() -> RolloutSpec.blueGreen(List.of(new RolloutStep.SetWeight(Weight.of(10)))))
                .hasMessageContaining("steps[0]: blue-green switches all at once");
    }

    @Test
    void stateRoundTripsThroughItsPlainMap() {
        RolloutState state = new RolloutState(Phase.ABORTING, 3, Weight.of(25), java.time.Instant.parse("2026-11-23T12:00:00Z"),
                java.time.Instant.parse("2026-11-23T12:01:00Z"), "gate said so", true, false, null, false);

        assertThat(RolloutState.fromMap(state.toMap())).isEqualTo(state);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "phase          | WAITING              | field phase must be one of",
            "stepIndex      | -1                   | field stepIndex must be a whole number, got '-1'",
            "canary         | 140                  | weight must be 0..100, got 140",
            "failure        | maybe                | field failure must be true or false, got 'maybe'",
            "stepStartedAt  | yesterday            | field stepStartedAt must be an ISO-8601 instant, got 'yesterday'",
            "colour         | blue                 | unknown field 'colour'",
    })
    void garbledPersistedStateIsRefusedNamingFieldAndValue(String field, String value, String message) {
        Map<String, String> map = new HashMap<>(RolloutState.start().toMap());
        map.put(field, value);

        assertThatThrownBy(() -> RolloutState.fromMap(map)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
