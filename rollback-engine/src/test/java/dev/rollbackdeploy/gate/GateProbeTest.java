package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateProbeTest {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    /** Answers no data and remembers what it was asked. */
    private static final class RecordingSource implements MetricSource {
        final List<String> asked = new ArrayList<>();
        final List<Instant> times = new ArrayList<>();

        @Override
        public Measurement instant(String query, Instant at) {
            asked.add("instant " + query);
            times.add(at);
            return new Measurement.NoData(query, "empty");
        }

        @Override
        public Measurement range(String query, Instant start, Instant end, Duration step) {
            asked.add("range " + query + " " + Duration.between(start, end).toSeconds() + "s/" + step.toSeconds() + "s");
            return new Measurement.NoData(query, "empty");
        }
    }

    private static GateSpec spec() {
        return GateSpec.of(List.of(
                new MetricSpec.Threshold("p99", new PromQlTemplate("p99{app=\"${canary}\"}[${interval}]"), ThresholdJudge.atMost(0.5)),
                new MetricSpec.Comparison("latency", new PromQlTemplate("lat{app=\"${canary}\"}"), new PromQlTemplate("lat{app=\"${baseline}\"}"),
                        new MannWhitneyJudge(0.98, 0.25, 10))),
                Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    @Test
    void fillsElapsedAndIntervalAndUsesRangeQueriesForComparisons() throws Exception {
        RecordingSource source = new RecordingSource();

        GateProbe.lookOnce(spec(), GateState.start(T0), source, Map.of("canary", "shop-canary", "baseline", "shop"),
                T0.plusSeconds(42));

        assertThat(source.asked).containsExactly(
                "instant p99{app=\"shop-canary\"}[10s]",
                "range lat{app=\"shop-canary\"} 10s/1s",
                "range lat{app=\"shop\"} 10s/1s");
    }

    @Test
    void theElapsedWindowNeverReachesBackBeforeTheGateStarted() throws Exception {
        // Rounded up to whole seconds, [${elapsed}] took in a counter sample from before the weight step.
        RecordingSource source = new RecordingSource();
        GateSpec spec = GateSpec.of(List.of(new MetricSpec.Threshold("errors",
                new PromQlTemplate("sum(increase(e{app=\"${canary}\"}[${elapsed}]))"), ThresholdJudge.atMost(0.5))),
                Duration.ofSeconds(10), Duration.ofMinutes(5));

        GateProbe.lookOnce(spec, GateState.start(T0), source, Map.of("canary", "c"), T0.plusMillis(10_400));
        GateProbe.lookOnce(spec, GateState.start(T0), source, Map.of("canary", "c"), T0.plusSeconds(20));

        assertThat(source.asked).containsExactly("instant sum(increase(e{app=\"c\"}[10400ms]))",
                "instant sum(increase(e{app=\"c\"}[20s]))");
    }

    @Test
    void noDataIsNeverAPromotion() throws Exception {
        GateEvaluator.Look look = GateProbe.lookOnce(spec(), GateState.start(T0), new RecordingSource(),
                Map.of("canary", "a", "baseline", "b"), T0.plusSeconds(10));

        assertThat(look.decision().outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
    }

    @Test
    void refusesAnUnsafePlaceholderValueBeforeAskingAnything() {
        RecordingSource source = new RecordingSource();

        assertThatThrownBy(() -> GateProbe.lookOnce(spec(), GateState.start(T0), source,
                Map.of("canary", "x\"} or vector(1) #", "baseline", "b"), T0.plusSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canary");
        assertThat(source.asked).isEmpty();
    }

    @Test
    void aLookAtAGivenInstantAsksAndStampsAtExactlyThatInstant() throws Exception {
        RecordingSource source = new RecordingSource();

        GateEvaluator.Look look = GateProbe.lookOnce(spec(), GateState.start(T0), source,
                Map.of("canary", "a", "baseline", "b"), T0.plusSeconds(42));

        assertThat(source.times).containsExactly(T0.plusSeconds(42));
        assertThat(look.decision().evidence()).allSatisfy(e -> assertThat(e.at()).isEqualTo(T0.plusSeconds(42)));
    }
}
