package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import dev.rollbackdeploy.gate.ThresholdJudge;
import dev.rollbackdeploy.gate.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 9 item 4: a Prometheus trickling one byte a second held a 20 s gate for 44 s. */
class SlowPrometheusGateTest {

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTricklingPrometheusEndsTheLookByTheGatesDeadlineNotTheQueryTimeout() throws InterruptedException {
        // A look every 2 s must end near 2 s, not at the 10 s query timeout, and say Error.
        for (int i = 0; i < 3; i++) {
            server.enqueue(Fixtures.json(200, "vector-one.json").newBuilder()
                    .throttleBody(1, 1, TimeUnit.SECONDS).build());
        }
        GateSpec spec = GateSpec.of(List.of(new MetricSpec.Threshold("up", new PromQlTemplate("up"),
                ThresholdJudge.atMost(1))), Duration.ofSeconds(2), Duration.ofSeconds(20));

        long started = System.nanoTime();
        GateEvaluator.Look look;
        try (PrometheusMetricSource source = new PrometheusMetricSource(Fixtures.config(server))) {
            look = GateProbe.lookOnce(spec, GateState.start(Fixtures.NOW), source, Map.of(), Fixtures.NOW);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(look.decision().evidence().get(0).verdict()).isInstanceOf(Verdict.Error.class);
        assertThat(look.decision().outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
        // 2 s look plus scheduling slack, far below the 10 s query timeout the look used to wait for.
        assertThat(took).isLessThan(Duration.ofSeconds(6));
    }
}
