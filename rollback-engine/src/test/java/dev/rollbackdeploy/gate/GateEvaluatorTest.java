package dev.rollbackdeploy.gate;

import static dev.rollbackdeploy.gate.GateFixtures.T0;
import static dev.rollbackdeploy.gate.GateFixtures.counts;
import static dev.rollbackdeploy.gate.GateFixtures.errorRatio;
import static dev.rollbackdeploy.gate.GateFixtures.failed;
import static dev.rollbackdeploy.gate.GateFixtures.noData;
import static dev.rollbackdeploy.gate.GateFixtures.spec;
import static dev.rollbackdeploy.gate.GateFixtures.threshold;
import static dev.rollbackdeploy.gate.GateFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.gate.GateDecision.Outcome;
import dev.rollbackdeploy.gate.GateSpec.InconclusivePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GateEvaluatorTest {

    /** Runs looks every 10 s until the gate finishes (or 100 looks), returning every decision. */
    private static List<GateDecision> run(GateSpec spec, IntFunction<Map<String, List<Measurement>>> look) {
        GateState state = GateState.start(T0);
        List<GateDecision> decisions = new ArrayList<>();
        for (int i = 1; i <= 100 && !state.finished(); i++) {
            GateEvaluator.Look result = GateEvaluator.look(spec, state, look.apply(i), T0.plusSeconds(10L * i));
            state = result.state();
            decisions.add(result.decision());
        }
        return decisions;
    }

    static Stream<Arguments> blindLooks() {
        GateSpec thresholds = spec(List.of(threshold("latency", 1)), 0, 1000, 1000, InconclusivePolicy.HOLD);
        GateSpec ratios = spec(List.of(errorRatio("errors")), 0, 1000, 1000, InconclusivePolicy.HOLD);
        GateSpec both = spec(List.of(threshold("latency", 1), errorRatio("errors")), 0, 1000, 1000,
                InconclusivePolicy.ROLLBACK);
        IntFunction<Map<String, List<Measurement>>> healthyRatio = i -> Map.of("errors", counts(0, 2000L * i, 9, 18_000L * i));
        return Stream.of(
                Arguments.of(Named.of("threshold with no data", thresholds), (IntFunction<?>) i -> Map.of("latency", List.of(noData()))),
                Arguments.of(Named.of("threshold query failing", thresholds), (IntFunction<?>) i -> Map.of("latency", List.of(failed()))),
                Arguments.of(Named.of("threshold missing from the look", thresholds), (IntFunction<?>) i -> Map.of()),
                Arguments.of(Named.of("one of four counts without data", ratios), (IntFunction<?>) i -> Map.of("errors",
                        List.of(value(0), value(2000L * i), noData(), value(18_000L * i)))),
                Arguments.of(Named.of("one of four counts failing", ratios), (IntFunction<?>) i -> Map.of("errors",
                        List.of(value(0), failed(), value(9), value(18_000L * i)))),
                Arguments.of(Named.of("no canary traffic at all", ratios), (IntFunction<?>) i -> Map.of("errors", counts(0, 0, 9, 18_000L * i))),
                Arguments.of(Named.of("healthy ratio, threshold blind", both), (IntFunction<?>) i -> Map.of(
                        "errors", healthyRatio.apply(i).get("errors"), "latency", List.of(noData()))),
                Arguments.of(Named.of("healthy ratio, threshold failing", both), (IntFunction<?>) i -> Map.of(
                        "errors", healthyRatio.apply(i).get("errors"), "latency", List.of(failed()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blindLooks")
    @SuppressWarnings("unchecked")
    void noDataAndFailedNeverPromote(GateSpec spec, IntFunction<?> look) {
        List<GateDecision> decisions = run(spec, (IntFunction<Map<String, List<Measurement>>>) look);

        assertThat(decisions).extracting(GateDecision::outcome).doesNotContain(Outcome.PROMOTE);
        assertThat(decisions.get(decisions.size() - 1).finished()).isTrue();
    }

    @Test
    void healthyTrafficToTheHorizonPromotes() {
        GateSpec spec = spec(List.of(errorRatio("errors")), 0, 3, 4, InconclusivePolicy.ROLLBACK);

        List<GateDecision> decisions = run(spec, i -> Map.of("errors", counts(i / 3, 200L * i, 2L * i, 1_800L * i)));

        assertThat(decisions.get(decisions.size() - 1).outcome()).isEqualTo(Outcome.PROMOTE);
        assertThat(decisions.subList(0, decisions.size() - 1)).allMatch(d -> !d.finished());
    }

    @Test
    void tenfoldRegressionRollsBackWithTheStatisticInTheEvidence() {
        GateSpec spec = spec(List.of(errorRatio("errors")), 0, 3, 4, InconclusivePolicy.ROLLBACK);

        List<GateDecision> decisions = run(spec, i -> Map.of("errors", counts(2L * i, 200L * i, 2L * i, 1_800L * i)));

        GateDecision last = decisions.get(decisions.size() - 1);
        assertThat(last.outcome()).isEqualTo(Outcome.ROLLBACK);
        Evidence evidence = last.evidence().get(0);
        assertThat(evidence.statistic()).isEqualTo("log e-value");
        assertThat(evidence.statisticValue()).isGreaterThanOrEqualTo(evidence.bound());
        assertThat(evidence.values()).containsEntry("canaryShare", 0.1);
    }

    @Test
    void abortsWhenConsecutiveErrorsExceedBudget() {
        GateSpec spec = spec(List.of(threshold("latency", 1)), 0, 1000, 4, InconclusivePolicy.HOLD);

        List<GateDecision> decisions = run(spec, i -> Map.of("latency", List.of(failed())));

        assertThat(decisions).hasSize(5);
        assertThat(decisions.get(4).outcome()).isEqualTo(Outcome.ROLLBACK);
        assertThat(decisions.get(4).reason()).contains("5 consecutive looks with measurement errors (limit 4)");
    }

    @Test
    void aGoodLookResetsTheConsecutiveErrorCount() {
        GateSpec spec = spec(List.of(threshold("latency", 1), errorRatio("errors")), 0, 1000, 4, InconclusivePolicy.HOLD);

        List<GateDecision> decisions = run(spec, i -> Map.of("latency", List.of(i % 4 == 0 ? value(0.5) : failed()),
                "errors", counts(0, 200L * i, 2L * i, 1_800L * i)));

        assertThat(decisions).extracting(GateDecision::reason).noneMatch(r -> r.contains("consecutive"));
    }

    @Test
    void guardrailFailsAtOnceWhateverTheFailureBudget() {
        MetricSpec guard = new MetricSpec.Threshold("5xx", GateFixtures.q("sum(rate(x[1m]))"), ThresholdJudge.neverAbove(10));
        GateSpec spec = spec(List.of(guard, errorRatio("errors")), 5, 3, 4, InconclusivePolicy.HOLD);

        List<GateDecision> decisions = run(spec, i -> Map.of("5xx", List.of(value(11)), "errors", counts(0, 10, 0, 90)));

        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).outcome()).isEqualTo(Outcome.ROLLBACK);
        assertThat(decisions.get(0).reason()).startsWith("guardrail crossed: 5xx");
    }

    private static Measurement series(double... values) {
        List<Measurement.Point> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new Measurement.Point(T0.plusSeconds(i), values[i]));
        }
        return new Measurement.Series("q", Map.of(), points);
    }

    @ParameterizedTest(name = "critical {0}: {1} looks")
    @org.junit.jupiter.params.provider.CsvSource({"true, 1", "false, 3"})
    void aCriticalComparisonFailsTheGateAtOnceWhateverTheFailureBudget(boolean critical, int looks) {
        MetricSpec latency = new MetricSpec.Comparison("latency", GateFixtures.q("c"), GateFixtures.q("b"),
                MannWhitneyJudge.KAYENTA_DEFAULTS, critical);
        GateSpec spec = spec(List.of(latency), 2, 3, 4, InconclusivePolicy.HOLD);
        double[] baseline = java.util.stream.DoubleStream.iterate(100, x -> x + 1).limit(20).toArray();
        double[] canary = java.util.stream.DoubleStream.iterate(300, x -> x + 1).limit(20).toArray();

        List<GateDecision> decisions = run(spec, i -> Map.of("latency", List.of(series(canary), series(baseline))));

        assertThat(decisions).hasSize(looks);
        assertThat(decisions.get(looks - 1).outcome()).isEqualTo(Outcome.ROLLBACK);
        assertThat(decisions.get(looks - 1).reason()).startsWith(critical ? "critical metric failed: latency" : "3 failed looks");
    }

    @Test
    void failureLimitCountsFailedLooksAndKeepsTheFirstFailureTime() {
        GateSpec spec = spec(List.of(threshold("latency", 1), errorRatio("errors")), 2, 1000, 4, InconclusivePolicy.HOLD);
        GateState state = GateState.start(T0);
        Instant firstFailure = null;
        GateDecision decision = null;
        for (int i = 1; i <= 3; i++) {
            GateEvaluator.Look look = GateEvaluator.look(spec, state, Map.of("latency", List.of(value(2)),
                    "errors", counts(0, 100L * i, 1, 900L * i)), T0.plusSeconds(10L * i));
            state = look.state();
            decision = look.decision();
            firstFailure = firstFailure == null ? state.firstFailureAt() : firstFailure;
            assertThat(state.firstFailureAt()).isEqualTo(T0.plusSeconds(10));
        }

        assertThat(decision.outcome()).isEqualTo(Outcome.ROLLBACK);
        assertThat(decision.reason()).startsWith("3 failed looks (limit 2)");
        assertThat(firstFailure).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void inconclusiveBudgetHoldsForAPersonWhenSoConfigured() {
        GateSpec spec = spec(List.of(threshold("latency", 1)), 0, 2, 4, InconclusivePolicy.HOLD);

        List<GateDecision> decisions = run(spec, i -> Map.of("latency", List.of(noData())));

        GateDecision last = decisions.get(decisions.size() - 1);
        assertThat(decisions).hasSize(3);
        assertThat(last.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(last.finished()).isTrue();
    }

    @Test
    void maximumDurationWithoutEnoughEvidenceRollsBack() {
        GateSpec spec = spec(List.of(errorRatio("errors")), 0, 3, 4, InconclusivePolicy.ROLLBACK);

        // Healthy but thin traffic: 1 canary request per look never reaches the horizon in 10 minutes.
        List<GateDecision> decisions = run(spec, i -> Map.of("errors", counts(0, i, 0, 9L * i)));

        GateDecision last = decisions.get(decisions.size() - 1);
        assertThat(last.outcome()).isEqualTo(Outcome.ROLLBACK);
        assertThat(last.reason()).contains("maximum duration PT10M reached without enough evidence");
        assertThat(decisions).hasSize(60);
    }

    @Test
    void refusesToLookAfterTheGateFinished() {
        GateSpec spec = spec(List.of(threshold("latency", 1)), 0, 0, 0, InconclusivePolicy.HOLD);
        GateState done = GateEvaluator.look(spec, GateState.start(T0), Map.of("latency", List.of(value(0.1))),
                T0.plusSeconds(10)).state();

        assertThatThrownBy(() -> GateEvaluator.look(spec, done, Map.of(), T0.plusSeconds(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gate finished after 1 looks");
    }
}
