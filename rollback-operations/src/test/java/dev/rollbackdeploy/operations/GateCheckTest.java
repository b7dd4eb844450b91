package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
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

    @TempDir
    Path dir;

    private static GateCheck.Verdict decide(GateCheck check) throws InterruptedException {
        GateState state = check.start(T0);
        GateEvaluator.Look look = null;
        for (int i = 1; i <= 20 && !state.finished(); i++) {
            look = check.look(state, T0.plusSeconds(i));
            state = look.state();
        }
        return GateCheck.verdict(look.decision(), state.looks());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void tellsAnUnusableMetricsServerFromABadVersion(String name, Function<String, Measurement> answer,
            GateDecision.Outcome outcome, boolean unusable) throws Exception {
        GateCheck.Verdict verdict = decide(new GateCheck(blueGreen(), new Answering(answer)));

        assertThat(verdict.outcome()).isEqualTo(outcome);
        assertThat(verdict.metricsUnusable()).isEqualTo(unusable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void everyVerdictIsInTheAuditLogWithWhoAskedAndTheEvidence(String name, Function<String, Measurement> answer,
            GateDecision.Outcome outcome, boolean unusable) throws Exception {
        GateCheck check = new GateCheck(blueGreen(), new Answering(answer));
        GateCheck.Verdict verdict = decide(check);
        OperationContext context = OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "alice",
                Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC), Progress.none());

        check.audit(context, verdict, "rollback gate --spec shop.yaml");

        List<AuditEvent> events = AuditLog.besideStore(dir.resolve("records")).read().stream().map(e -> e.event()).toList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo(AuditAction.GATE_VERDICT);
            assertThat(event.actor()).isEqualTo("alice");
            assertThat(event.target()).isEqualTo("shop-vms");
            assertThat(event.to()).hasToString("shop#43");
            assertThat(event.reason()).startsWith("rollback gate --spec shop.yaml: gate decided " + outcome)
                    .contains(unusable ? "could not be used" : "looks");
            assertThat(event.evidence()).isEqualTo(verdict.reason());
        });
        assertThat(AuditLog.besideStore(dir.resolve("records")).verify(context.records()).intact()).isTrue();
    }
}
