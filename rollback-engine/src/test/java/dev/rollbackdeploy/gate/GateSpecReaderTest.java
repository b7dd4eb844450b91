package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GateSpecReaderTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String GATE = """
            interval: 30s
            maxDuration: 20m
            failureLimit: 1
            onInconclusive: hold
            metrics:
              - name: latency
                kind: comparison
                canary: 'p99{pod=~"${canary}.*"}'
                baseline: 'p99{pod=~"${baseline}.*"}'
                direction: either
                confidence: 0.99
                effectSize: {allowedIncrease: 1.2, allowedDecrease: 0.9, criticalIncrease: 2}
                critical: true
              - name: errors
                kind: errorRatio
                canaryErrors: 'sum(increase(e{pod=~"${canary}.*"}[${elapsed}]))'
                canaryRequests: 'sum(increase(r{pod=~"${canary}.*"}[${elapsed}]))'
                baselineErrors: 'sum(increase(e{pod=~"${baseline}.*"}[${elapsed}]))'
                baselineRequests: 'sum(increase(r{pod=~"${baseline}.*"}[${elapsed}]))'
                healthyErrorRate: 0.001
                minimumEffect: 10
              - name: 5xx
                kind: threshold
                query: 'sum(rate(x[1m]))'
                max: 10
                guardrail: true
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) throws Exception {
        return YAML.readValue(text, Map.class);
    }

    @Test
    void readsKayentasComparisonVocabularyAndEveryMetricKind() throws Exception {
        GateSpec spec = GateSpec.fromMap(yaml(GATE), "gate");

        assertThat(spec.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.maxDuration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(spec.failureLimit()).isEqualTo(1);
        assertThat(spec.onInconclusive()).isEqualTo(GateSpec.InconclusivePolicy.HOLD);
        MetricSpec.Comparison latency = (MetricSpec.Comparison) spec.metric("latency").orElseThrow();
        assertThat(latency.critical()).isTrue();
        assertThat(latency.judge()).isEqualTo(new MannWhitneyJudge(0.99, MannWhitneyJudge.Direction.EITHER,
                new EffectSize(1.2, 0.9, 2, 0.9), 10));
        MetricSpec.ErrorRatio errors = (MetricSpec.ErrorRatio) spec.metric("errors").orElseThrow();
        assertThat(errors.healthyRate()).isEqualTo(0.001);
        assertThat(((MetricSpec.Threshold) spec.metric("5xx").orElseThrow()).judge().guardrail()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "direction: up                      | gate.metrics[0].direction must be increase, decrease or either, got 'up'",
            "effectSize: {allowedIncrease: 0.9} | gate.metrics[0].effectSize: allowedIncrease must be a finite ratio >= 1, got 0.9",
            "effectSize: {grow: 2}              | gate.metrics[0].effectSize.grow is not a field here",
            "confidence: high                   | gate.metrics[0].confidence must be a finite number, got 'high'",
            "critical: yes please               | gate.metrics[0].critical must be true or false, got 'yes please'",
            "tolerance: 0.25                    | gate.metrics[0].tolerance is not a field here",
    })
    void refusesABadComparisonFieldNamingItsPathAndValue(String line, String message) throws Exception {
        String text = """
                metrics:
                  - name: latency
                    kind: comparison
                    canary: 'a'
                    baseline: 'b'
                    %s
                """.formatted(line);

        assertThatThrownBy(() -> GateSpec.fromMap(yaml(text), "gate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void refusesAnUnknownKindAndABadDuration() throws Exception {
        assertThatThrownBy(() -> GateSpec.fromMap(yaml("metrics: [{name: x, kind: ratio}]"), "gate"))
                .hasMessageContaining("gate.metrics[0].kind must be threshold, errorRatio or comparison, got 'ratio'");
        String badInterval = """
                interval: soon
                metrics: [{name: x, kind: threshold, query: q, max: 1}]
                """;
        assertThatThrownBy(() -> GateSpec.fromMap(yaml(badInterval), "gate"))
                .hasMessageContaining("gate.interval must be a duration like 30s, 2m or 1h30m, got 'soon'");
    }
}
