package dev.rollbackdeploy.gate;

import static dev.rollbackdeploy.gate.GateFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void survivesAJsonRoundTripWithErrorRatioState() throws Exception {
        ErrorRatioState ratio = new ErrorRatioState(1.25, new ErrorCounts(1, 100, 9, 900),
                new ErrorCounts(3, 400, 20, 2_000), 1);
        GateState state = new GateState(T0, 7, 1, 2, 3, T0.plusSeconds(30), false, Map.of("http/errors.v2", ratio));

        String json = JSON.writeValueAsString(state.toMap());
        GateState back = GateState.fromMap(JSON.readValue(json, new TypeReference<Map<String, Object>>() { }));

        assertThat(back).isEqualTo(state);
        assertThat(state.toMap().values()).allMatch(v -> v instanceof String || v instanceof Number || v instanceof Boolean);
    }

    @Test
    void namesTheBadFieldWhenReadingBack() {
        Map<String, Object> map = new HashMap<>(GateState.start(T0).toMap());
        map.put("looks", "many");

        assertThatThrownBy(() -> GateState.fromMap(map))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gate state field looks must be a number, got \"many\"");
    }

    @Test
    void evidenceSurvivesAJsonRoundTripIncludingNaN() throws Exception {
        Evidence evidence = new Evidence("errors", T0, List.of("sum(x)"), Map.of("canaryErrors", 3.0),
                "log e-value", Double.NaN, 4.6, new Verdict.Inconclusive("collecting", true));

        String json = JSON.writeValueAsString(evidence.toMap());
        Evidence back = Evidence.fromMap(JSON.readValue(json, new TypeReference<Map<String, Object>>() { }));

        assertThat(back).isEqualTo(evidence);
        assertThat(json).contains("\"verdict\":\"ACCUMULATING\"");
    }
}
