package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One look at a time on fixed instants: a metrics server that cannot be used is told apart from a bad version. */
class GateCheckTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private static DeploymentSpec blueGreen() throws InvalidSpecException {
        return DeploymentSpec.builder().build("shop#43").buildUrl("https://ci.example.com/job/shop/43/").targetKey("shop-vms")
                .haproxySockets(List.of("/tmp/none.sock")).haproxyBackend("app").stableServers(List.of("blue1"))
                .canaryServers(List.of("green1")).prometheus("http://127.0.0.1:9/").strategy("blueGreen")
                .scaleDownDelay("30s").interval("1s").minRequests(50).toSpec("test");
    }

    private record Answering(Function<String, Measurement> answer) implements MetricSource {
        @Override
        public Measurement instant(String query, Instant at) {
            return answer.apply(query);
        }

        @Override
        public Measurement range(String query, Instant start, Instant end, Duration step) {
            return answer.apply(query);
        }
    }

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of("unreachable", (Function<String, Measurement>) q -> new Measurement.Failed(q, "connection refused"),
                        GateDecision.Outcome.ROLLBACK, true),
                Arguments.of("a failing version", (Function<String, Measurement>) q -> new Measurement.Value(q, 0.5, T0),
                        GateDecision.Outcome.ROLLBACK, false),
                Arguments.of("a healthy version", (Function<String, Measurement>) q -> new Measurement.Value(q, 0.0, T0),
                        GateDecision.Outcome.PROMOTE, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void tellsAnUnusableMetricsServerFromABadVersion(String name, Function<String, Measurement> answer,
            GateDecision.Outcome outcome, boolean unusable) throws Exception {
        GateCheck check = new GateCheck(blueGreen(), new Answering(answer));
        GateState state = check.start(T0);
        GateEvaluator.Look look = null;
        for (int i = 1; i <= 20 && !state.finished(); i++) {
            look = check.look(state, T0.plusSeconds(i));
            state = look.state();
        }

        GateCheck.Verdict verdict = GateCheck.verdict(look.decision(), state.looks());
        assertThat(verdict.outcome()).isEqualTo(outcome);
        assertThat(verdict.metricsUnusable()).isEqualTo(unusable);
    }
}
