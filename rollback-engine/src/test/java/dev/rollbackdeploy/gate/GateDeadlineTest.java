package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 9 item 4: every look has a deadline from what is left of the gate, and a late answer is an Error. */
class GateDeadlineTest {

    private static final Instant T0 = GateFixtures.T0;

    /** A clock the fake source moves: each query "takes" {@code perQuery}. */
    private static final class SteppingClock extends Clock {
        Instant now;

        SteppingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Answers a healthy value after {@code perQuery} of clock time and records the timeout it was given. */
    private static final class SlowSource implements MetricSource {
        final SteppingClock clock;
        final Duration perQuery;
        final List<Duration> timeouts = new ArrayList<>();

        SlowSource(SteppingClock clock, Duration perQuery) {
            this.clock = clock;
            this.perQuery = perQuery;
        }

        @Override
        public Measurement instant(String query, Instant at) {
            clock.now = clock.now.plus(perQuery);
            return new Measurement.Value(query, 0.1, at);
        }

        @Override
        public Measurement instant(String query, Instant at, Duration timeout) {
            timeouts.add(timeout);
            return instant(query, at);
        }

        @Override
        public Measurement range(String query, Instant start, Instant end, Duration step) {
            throw new AssertionError("no range query in these gates");
        }
    }

    private static GateSpec thresholds(int count, Duration interval, Duration maxDuration) {
        List<MetricSpec> metrics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            metrics.add(GateFixtures.threshold("m" + i, 0.5));
        }
        return new GateSpec(metrics, interval, maxDuration, 0, 3, 4, 0.01, GateSpec.InconclusivePolicy.ROLLBACK);
    }

    @Test
    void aHealthyAnswerThatComesAfterTheLooksDeadlineIsAnErrorNotAPromotion() throws Exception {
        SteppingClock clock = new SteppingClock(T0);
        // A source that ignores deadlines (the port's default) and takes 44 s for a 20 s gate.
        MetricSource slow = new MetricSource() {
            @Override
            public Measurement instant(String query, Instant at) {
                clock.now = clock.now.plusSeconds(44);
                return new Measurement.Value(query, 0.1, at);
            }

            @Override
            public Measurement range(String query, Instant start, Instant end, Duration step) {
                throw new AssertionError();
            }
        };

        GateEvaluator.Look look = GateProbe.lookOnce(thresholds(1, Duration.ofSeconds(5), Duration.ofSeconds(20)),
                GateState.start(T0), slow, Map.of("canary", "c"), clock);

        assertThat(look.decision().outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
        assertThat(look.decision().evidence().get(0).verdict()).isInstanceOf(Verdict.Error.class);
        assertThat(look.decision().evidence().get(0).verdict().reason()).contains("after the look's deadline");
    }

    @Test
    void eachQueryIsGivenWhatIsLeftOfTheLookAndNoneIsSentAfterIt() throws Exception {
        SteppingClock clock = new SteppingClock(T0);
        SlowSource source = new SlowSource(clock, Duration.ofSeconds(4));

        GateEvaluator.Look look = GateProbe.lookOnce(thresholds(4, Duration.ofSeconds(10), Duration.ofMinutes(5)),
                GateState.start(T0), source, Map.of("canary", "c"), clock);

        // 10 s for the look: 10, 6, 2 s left for the first three; the third answers at 12 s (late), the
        // fourth is never sent.
        assertThat(source.timeouts).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(2));
        List<String> kinds = look.decision().evidence().stream().map(e -> e.verdict().kind()).toList();
        assertThat(kinds).containsExactly("PASS", "PASS", "ERROR", "ERROR");
        assertThat(look.decision().evidence().get(3).verdict().reason()).contains("not sent");
        assertThat(look.decision().outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
    }

    @ParameterizedTest(name = "look at {0} s of a {1} s gate looking every {2} s: {3} s")
    @CsvSource({
            "0,   20,  5,  5",
            "17,  20,  5,  3",
            "19.5, 20, 5,  1",
            "20,  20,  5,  1",
            "44,  20,  5,  1",
            "0,   600, 30, 30",
    })
    void theLookDeadlineIsTheIntervalOrWhatIsLeftOfTheGateButAtLeastOneSecond(double at, long max, long interval,
                                                                             double budget) {
        GateSpec spec = thresholds(1, Duration.ofSeconds(interval), Duration.ofSeconds(max));
        Instant now = T0.plusMillis((long) (at * 1000));

        Instant deadline = GateProbe.lookDeadline(spec, GateState.start(T0), now);

        assertThat(Duration.between(now, deadline)).isEqualTo(Duration.ofMillis((long) (budget * 1000)));
    }
}
