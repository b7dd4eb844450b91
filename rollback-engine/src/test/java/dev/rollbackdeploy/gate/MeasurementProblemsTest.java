package dev.rollbackdeploy.gate;

import static dev.rollbackdeploy.gate.GateFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of docs/gates.md: each way a measurement can be missing or bad, for every gate kind, and
 * what one look decides. The adapter turns NaN, ±Inf, empty, several series and stale answers into
 * {@link Measurement.NoData} (pinned by the Prometheus module's ResponseClassificationTest); here the
 * engine's side: none of them, nor an error, a timeout, an idle baseline or a mostly-zero shift, is
 * ever a Pass.
 */
class MeasurementProblemsTest {

    private static final MetricSpec THRESHOLD = GateFixtures.threshold("m", 0.5);
    private static final MetricSpec RATIO = GateFixtures.errorRatio("m");
    private static final MetricSpec COMPARISON = new MetricSpec.Comparison("m", GateFixtures.q("c"), GateFixtures.q("b"),
            MannWhitneyJudge.KAYENTA_DEFAULTS);

    private static Measurement series(double... values) {
        List<Measurement.Point> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new Measurement.Point(T0.plusSeconds(i), values[i]));
        }
        return new Measurement.Series("q", Map.of(), points);
    }

    private static double[] repeat(int times, double value) {
        double[] values = new double[times];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static double[] zerosThenJumps() {
        double[] values = repeat(60, 0);
        java.util.Arrays.fill(values, 31, 60, 100);
        return values;
    }

    private static List<Measurement> each(MetricSpec metric, Measurement m) {
        return metric.queries().stream().map(q -> m).toList();
    }

    private static Arguments row(String problem, MetricSpec metric, List<Measurement> measured, String verdict) {
        String kind = metric instanceof MetricSpec.Threshold ? "threshold"
                : metric instanceof MetricSpec.ErrorRatio ? "errorRatio" : "comparison";
        return Arguments.of(problem + " / " + kind, metric, measured, verdict);
    }

    static Stream<Arguments> problems() {
        List<Arguments> rows = new ArrayList<>();
        String[] noData = {"NaN", "+Inf", "-Inf", "empty result", "several series", "stale sample"};
        for (String problem : noData) {
            Measurement m = new Measurement.NoData("q", problem);
            for (MetricSpec metric : List.of(THRESHOLD, RATIO, COMPARISON)) {
                rows.add(row(problem, metric, each(metric, m), "NO_DATA"));
            }
        }
        Measurement error = new Measurement.Failed("q", "HTTP 503 from http://prom/api/v1/query");
        Measurement timeout = new Measurement.Failed("q", "no complete answer within 5.0 s (timeout)");
        for (MetricSpec metric : List.of(THRESHOLD, RATIO, COMPARISON)) {
            rows.add(row("error", metric, each(metric, error), "ERROR"));
            rows.add(row("timeout", metric, each(metric, timeout), "ERROR"));
        }
        // A range answer whose points are all NaN or ±Inf (0/0 without traffic) is no sample at all.
        rows.add(row("NaN points", COMPARISON, List.of(series(Double.NaN, Double.POSITIVE_INFINITY),
                series(1, 2, 3)), "NO_DATA"));
        rows.add(row("idle baseline", RATIO, GateFixtures.counts(1546, 1546, 0, 0), "FAIL"));
        rows.add(row("idle baseline", RATIO, GateFixtures.counts(1, 1546, 0, 0), "NO_DATA"));
        rows.add(row("idle baseline", COMPARISON, List.of(series(repeat(20, 1)), series()), "NO_DATA"));
        rows.add(row("too small a baseline", RATIO, GateFixtures.counts(1, 1546, 0, 100), "NO_DATA"));
        rows.add(row("zero-inflated", COMPARISON, List.of(series(zerosThenJumps()), series(repeat(60, 0))), "FAIL"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("problems")
    void aBadOrMissingMeasurementIsNeverAPass(String name, MetricSpec metric, List<Measurement> measured, String verdict) {
        GateSpec spec = new GateSpec(List.of(metric), Duration.ofSeconds(10), Duration.ofMinutes(10), 0, 3, 4, 0.01,
                GateSpec.InconclusivePolicy.ROLLBACK);

        GateEvaluator.Look look = GateEvaluator.look(spec, GateState.start(T0), Map.of("m", measured), T0.plusSeconds(10));

        assertThat(look.decision().evidence().get(0).verdict().kind()).isEqualTo(verdict);
        assertThat(look.decision().outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
    }
}
