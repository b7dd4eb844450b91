package dev.rollbackdeploy.prometheus;

import dev.rollbackdeploy.local.LocalPrometheus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole gate — spec, probe, adapter, judges, budgets — against a real Prometheus scraping an
 * exporter every second. Traffic: baseline 900 requests/s, canary 100/s (share 10%), healthy error
 * rate 1%; the gate must catch a 10x regression. Each test has a Prometheus and an exporter of its own
 * and mostly waits on them, so the tests run two at a time.
 */
class RealPrometheusGateTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(60);

    private FakeExporter exporter;
    private LocalPrometheus prometheus;
    private PrometheusMetricSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void healthyCanaryIsPromoted() throws Exception {
        start(99, 1);

        GateDecision decision = runGate(new ArrayList<>());

        assertThat(decision.outcome()).as(decision.reason()).isEqualTo(GateDecision.Outcome.PROMOTE);
        assertThat(decision.finished()).isTrue();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void canaryWithTenTimesTheErrorsIsRolledBackWithEvidence() throws Exception {
        start(90, 10);
        List<GateDecision> looks = new ArrayList<>();

        GateDecision decision = runGate(looks);

        assertThat(decision.outcome()).as(decision.reason()).isEqualTo(GateDecision.Outcome.ROLLBACK);
        Evidence evidence = decision.evidence().get(0);
        assertThat(evidence.toMap().toString()).contains("increase(http_requests_total{version=\"canary\"");
        assertThat(looks).allSatisfy(look -> assertThat(look.outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE));
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void vanishedCanarySeriesNeverPass() throws Exception {
        start(99, 1);
        exporter.vanish("canary");
        List<GateDecision> looks = new ArrayList<>();

        GateDecision decision = runGate(looks);

        assertThat(decision.outcome()).as(decision.reason()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
        assertThat(looks).noneMatch(look -> look.outcome() == GateDecision.Outcome.PROMOTE);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void prometheusKilledMidGateTripsTheErrorBudgetToRollback() throws Exception {
        start(99, 1);
        GateSpec spec = spec();
        Instant begin = Clock.systemUTC().instant();
        GateState state = GateState.start(begin);
        GateEvaluator.Look look = GateProbe.lookOnce(spec, state, source, Map.of(), begin.plusSeconds(3));
        prometheus.kill();

        List<GateDecision> afterKill = new ArrayList<>();
        for (int i = 0; i < 10 && !look.state().finished(); i++) {
            look = GateProbe.lookOnce(spec, look.state(), source, Map.of(), Clock.systemUTC().instant());
            afterKill.add(look.decision());
        }

        assertThat(look.decision().outcome()).as(look.decision().reason()).isEqualTo(GateDecision.Outcome.ROLLBACK);
        assertThat(look.decision().reason()).containsIgnoringCase("error");
        // consecutiveErrorLimit 4: the fifth failed look in a row decides.
        assertThat(afterKill).hasSize(5);
    }

    private void start(double canaryOkPerSecond, double canaryErrorsPerSecond) throws Exception {
        exporter = new FakeExporter();
        exporter.serve("stable", 891, 9);
        exporter.serve("canary", canaryOkPerSecond, canaryErrorsPerSecond);
        prometheus = LocalPrometheus.scraping(exporter.port());
        source = new PrometheusMetricSource(RealPrometheus.config(prometheus));
    }

    /** Drives the gate like the CLI: one look per interval until it finishes or MAX passes. */
    private GateDecision runGate(List<GateDecision> looks) throws InterruptedException {
        GateSpec spec = spec();
        Instant begin = Clock.systemUTC().instant();
        GateEvaluator.Look look = null;
        GateState state = GateState.start(begin);
        while (!state.finished()) {
            Thread.sleep(INTERVAL.toMillis());
            look = GateProbe.lookOnce(spec, state, source, Map.of(), Clock.systemUTC().instant());
            looks.add(look.decision());
            state = look.state();
            if (Duration.between(begin, Clock.systemUTC().instant()).compareTo(MAX.plusSeconds(30)) > 0) {
                throw new AssertionError("gate did not finish; last: " + look.decision().reason() + "\n" + prometheus.logTail());
            }
        }
        return look.decision();
    }

    private static GateSpec spec() {
        MetricSpec errors = new MetricSpec.ErrorRatio("error-ratio",
                count("canary", true), count("canary", false), count("stable", true), count("stable", false),
                0.01, 10, 0);
        // Prometheus needs a few scrapes before increase() answers: allow those no-data looks.
        return new GateSpec(List.of(errors), INTERVAL, MAX, 0, 8, 4, GateSpec.MAX_ALPHA, GateSpec.InconclusivePolicy.ROLLBACK);
    }

    private static PromQlTemplate count(String version, boolean errorsOnly) {
        String code = errorsOnly ? ",code=\"500\"" : "";
        return new PromQlTemplate("sum(increase(http_requests_total{version=\"" + version + "\"" + code + "}[${elapsed}]))");
    }
}
