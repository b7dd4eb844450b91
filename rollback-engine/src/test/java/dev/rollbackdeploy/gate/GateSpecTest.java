package dev.rollbackdeploy.gate;

import static dev.rollbackdeploy.gate.GateFixtures.errorRatio;
import static dev.rollbackdeploy.gate.GateFixtures.q;
import static dev.rollbackdeploy.gate.GateFixtures.threshold;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateSpecTest {

    private static final Map<String, String> GOOD = Map.of("canary", "shop-canary", "baseline", "shop-stable",
            "namespace", "prod", "elapsed", "5m", "interval", "30s");

    private static GateSpec twoMetrics() {
        return GateSpec.of(List.of(threshold("latency", 0.5), errorRatio("errors")), Duration.ofSeconds(10),
                Duration.ofMinutes(30));
    }

    @Test
    void rendersEveryQueryWithSafeValues() {
        Map<String, List<String>> rendered = twoMetrics().render(GOOD);

        assertThat(rendered.get("latency")).containsExactly("max(latency{pod=~\"shop-canary.*\"})");
        assertThat(rendered.get("errors").get(2)).isEqualTo("sum(increase(errors{pod=~\"shop-stable.*\"}[5m]))");
    }

    @ParameterizedTest(name = "${0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "canary   | shop\"} or vector(1) or x{a=\"",
            "canary   | shop\\\"",
            "canary   | a,b",
            "canary   | 'with space'",
            "namespace| prod}",
            "baseline | ''",
            "canary   | 'a\tb'",
            "interval | 5m] or vector(1)",
            "interval | 30",
            "elapsed  | 1h)",
    })
    void rejectsValuesThatCouldBreakOutOfALabelMatcher(String placeholder, String hostile) {
        Map<String, String> values = new HashMap<>(GOOD);
        values.put(placeholder, hostile);

        assertThatThrownBy(() -> twoMetrics().render(values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("placeholder ${" + placeholder + "}");
    }

    @Test
    void namesAPlaceholderWithoutValue() {
        Map<String, String> values = new HashMap<>(GOOD);
        values.remove("elapsed");

        assertThatThrownBy(() -> twoMetrics().render(values))
                .hasMessageContaining("placeholder ${elapsed} has no value");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "blank template         | ' '                   | query template must not be blank",
            "bad placeholder name   | up{x=\"${can ary}\"}  | placeholder name must match",
            "unclosed placeholder   | rate(x[${interval   | unclosed placeholder",
    })
    void rejectsMalformedTemplates(String row, String template, String message) {
        assertThatThrownBy(() -> new PromQlTemplate(template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsAlphaAboveOnePercentPerRollout() {
        assertThatThrownBy(() -> new GateSpec(List.of(errorRatio("errors")), Duration.ofSeconds(10), Duration.ofMinutes(5),
                0, 3, 4, 0.05, GateSpec.InconclusivePolicy.ROLLBACK))
                .hasMessageContaining("alpha must be in (0, 0.01] per rollout, got 0.05");
    }

    @Test
    void rejectsDuplicateMetricNamesAndShortDurations() {
        assertThatThrownBy(() -> GateSpec.of(List.of(threshold("a", 1), threshold("a", 2)), Duration.ofSeconds(10),
                Duration.ofMinutes(5))).hasMessageContaining("\"a\" twice");
        assertThatThrownBy(() -> GateSpec.of(List.of(threshold("a", 1)), Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessageContaining("maxDuration must be at least the interval PT10S, got PT5S");
        assertThatThrownBy(() -> GateSpec.of(List.of(threshold("a", 1)), Duration.ofMillis(500), Duration.ofSeconds(5)))
                .hasMessageContaining("interval must be at least 1s, got PT0.5S");
    }

    @Test
    void splitsAlphaOverTheMetricsThatSpendIt() {
        MetricSpec latency = new MetricSpec.Comparison("p99", q("a"), q("b"), MannWhitneyJudge.KAYENTA_DEFAULTS);
        GateSpec spec = GateSpec.of(List.of(threshold("t", 1), errorRatio("errors"), latency), Duration.ofSeconds(10),
                Duration.ofMinutes(10));

        assertThat(spec.metricAlpha()).isEqualTo(0.005);
        // 60 looks share the comparison's 0.5%: each window is judged at 1 - 0.005/60.
        assertThat(spec.comparisonJudge((MetricSpec.Comparison) latency).confidence()).isEqualTo(1 - 0.005 / 60);
    }
}
