package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import dev.rollbackdeploy.gate.ThresholdJudge;
import dev.rollbackdeploy.gate.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which failures are retried, how long the adapter waits, and how it bounds time and memory. */
class RetryAndLimitsTest {

    private static final String QUERY = "up";

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
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

    private PrometheusMetricSource source(PrometheusConfig config) {
        return new PrometheusMetricSource(config, sleeps::add, () -> 0.5);
    }

    @Test
    void honoursRetryAfterOf429ThenSucceeds() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "2").body("slow down").build());
        server.enqueue(Fixtures.json(200, "vector-one.json"));

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            assertThat(source.instant(QUERY, Fixtures.NOW)).isInstanceOf(Measurement.Value.class);
        }
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void givesUpWhenRetryAfterExceedsCap() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "60").build());

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            Measurement m = source.instant(QUERY, Fixtures.NOW);
            assertThat(m).isInstanceOf(Measurement.Failed.class);
            assertThat(((Measurement.Failed) m).reason()).contains("HTTP 429").contains("asks to wait PT1M");
        }
        assertThat(sleeps).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retries500WithJitteredBackoffThenSucceeds() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(500).body("boom").build());
        server.enqueue(Fixtures.json(200, "vector-one.json"));

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            assertThat(source.instant(QUERY, Fixtures.NOW)).isInstanceOf(Measurement.Value.class);
        }
        // Default policy: 200 ms nominal, equal jitter at 0.5 -> 100 + 50 ms.
        assertThat(sleeps).containsExactly(Duration.ofMillis(150));
    }

    @Test
    void failsAfterLastAttemptWithDoublingBackoff() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(503).body("overloaded").build());
        }

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            Measurement m = source.instant(QUERY, Fixtures.NOW);
            assertThat(((Measurement.Failed) m).reason()).contains("HTTP 503").contains("after 3 attempts");
        }
        assertThat(sleeps).containsExactly(Duration.ofMillis(150), Duration.ofMillis(300));
    }

    @Test
    void doesNotRetryBadQueryAndQuotesPrometheusError() throws InterruptedException {
        server.enqueue(Fixtures.json(400, "error-bad-data.json"));

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            Measurement m = source.instant("sum(up))", Fixtures.NOW);
            assertThat(((Measurement.Failed) m).reason())
                    .contains("HTTP 400")
                    .contains("(bad_data): invalid parameter \"query\": 1:6: parse error: unexpected right parenthesis")
                    .endsWith("fix the query");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void connectionRefusedIsRetriedThenFailed() throws InterruptedException {
        PrometheusConfig config = Fixtures.config(server);
        server.close();

        try (PrometheusMetricSource source = source(config)) {
            Measurement m = source.instant(QUERY, Fixtures.NOW);
            assertThat(((Measurement.Failed) m).reason()).startsWith("connection refused")
                    .contains("is Prometheus running").contains("after 3 attempts");
        }
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void refusesDeclaredTenMegabyteBodyWithoutRetry() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(200).body(zeros(10_000_000)).build());

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            Measurement m = source.instant(QUERY, Fixtures.NOW);
            assertThat(((Measurement.Failed) m).reason()).contains("declares 10000000 bytes")
                    .contains("over the cap of 4194304 bytes");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void stopsReadingChunkedBodyAtTheCap() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(200).chunkedBody(zeros(10_000_000), 64 * 1024).build());

        try (PrometheusMetricSource source = source(Fixtures.config(server).withMaxBodyBytes(1024 * 1024))) {
            Measurement m = source.instant(QUERY, Fixtures.NOW);
            assertThat(((Measurement.Failed) m).reason()).contains("is longer than that")
                    .contains("over the cap of 1048576 bytes");
        }
    }

    @Test
    void tricklingBodyFailsWithinTheQueryTimeout() throws InterruptedException {
        server.enqueue(Fixtures.json(200, "vector-one.json").newBuilder()
                .throttleBody(1, 100, TimeUnit.MILLISECONDS).build());
        server.enqueue(Fixtures.json(200, "vector-one.json"));

        long started = System.nanoTime();
        try (PrometheusMetricSource source = source(Fixtures.config(server).withQueryTimeout(Duration.ofSeconds(1)))) {
            Measurement m = source.instant(QUERY, Fixtures.NOW);
            assertThat(((Measurement.Failed) m).reason()).contains("within 1.0 s (timeout)");
        }
        // The whole query, retries included, is bounded by its 1 s budget (plus scheduling slack).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aTricklingPrometheusEndsTheLookByTheGatesDeadlineNotTheQueryTimeout() throws InterruptedException {
        // Issue 9: one byte a second held a 20 s gate for 44 s. A look every 2 s must end near 2 s, not
        // at the 10 s query timeout, and say Error.
        for (int i = 0; i < 3; i++) {
            server.enqueue(Fixtures.json(200, "vector-one.json").newBuilder()
                    .throttleBody(1, 1, TimeUnit.SECONDS).build());
        }
        GateSpec spec = GateSpec.of(List.of(new MetricSpec.Threshold("up", new PromQlTemplate("up"),
                ThresholdJudge.atMost(1))), Duration.ofSeconds(2), Duration.ofSeconds(20));

        long started = System.nanoTime();
        GateEvaluator.Look look;
        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            look = GateProbe.lookOnce(spec, GateState.start(Fixtures.NOW), source, Map.of(), Fixtures.NOW);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(look.decision().evidence().get(0).verdict()).isInstanceOf(Verdict.Error.class);
        assertThat(look.decision().outcome()).isNotEqualTo(GateDecision.Outcome.PROMOTE);
        // 2 s look plus scheduling slack, far below the 10 s query timeout the look used to wait for.
        assertThat(took).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void aCallersDeadlineShorterThanTheQueryTimeoutIsSentToPrometheusAndHeld() throws InterruptedException {
        server.enqueue(Fixtures.json(200, "vector-one.json"));

        try (PrometheusMetricSource source = source(Fixtures.config(server))) {
            assertThat(source.instant(QUERY, Fixtures.NOW, Duration.ofMillis(1500))).isInstanceOf(Measurement.Value.class);
        }
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8()).contains("timeout=1500ms");
    }

    private static Buffer zeros(int size) {
        Buffer buffer = new Buffer();
        byte[] chunk = new byte[64 * 1024];
        for (int written = 0; written < size; written += chunk.length) {
            buffer.write(chunk, 0, Math.min(chunk.length, size - written));
        }
        return buffer;
    }
}
