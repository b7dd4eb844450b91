package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.gate.Measurement;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire (form, auth, path prefix), secrecy, and how interrupts end a query. */
class RequestAndInterruptTest {

    private static final String TOKEN = "s3cret-t0ken-value";
    private static final String PASSWORD = "pa55-w0rd-value";

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        Thread.interrupted(); // never leak an interrupt into the next test
        server.close();
    }

    @Test
    void postsUrlEncodedInstantQueryUnderRoutePrefix() throws InterruptedException {
        server.enqueue(Fixtures.json(200, "vector-one.json"));
        String query = "sum(rate(x{a=\"b c\",d=~\"5..|&+\"}[5s])) / 2";
        PrometheusConfig config = Fixtures.config(server).withQueryTimeout(Duration.ofSeconds(3));
        try (PrometheusMetricSource source = new PrometheusMetricSource(
                new PrometheusConfig(server.url("/prom/").uri(), config.auth(), config.queryTimeout(),
                        config.retry(), config.scrapeInterval(), config.maxBodyBytes(), config.clock()))) {
            source.instant(query, Fixtures.NOW.plusMillis(250));
        }

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prom/api/v1/query");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        HttpUrl form = HttpUrl.get("http://form/?" + request.getBody().utf8());
        assertThat(form.queryParameter("query")).isEqualTo(query);
        assertThat(form.queryParameter("time")).isEqualTo("1700000001.25");
        assertThat(form.queryParameter("timeout")).isEqualTo("3000ms");
        assertThat(request.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void postsRangeParameters() throws InterruptedException {
        server.enqueue(Fixtures.json(200, "matrix-one.json"));
        try (PrometheusMetricSource source = new PrometheusMetricSource(Fixtures.config(server))) {
            source.range("up", Fixtures.NOW.minusSeconds(30), Fixtures.NOW, Duration.ofMillis(1500));
        }

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/query_range");
        HttpUrl form = HttpUrl.get("http://form/?" + request.getBody().utf8());
        assertThat(form.queryParameter("start")).isEqualTo("1699999971");
        assertThat(form.queryParameter("end")).isEqualTo("1700000001");
        assertThat(form.queryParameter("step")).isEqualTo("1.5");
    }

    @Test
    void sendsBearerTokenButNeverShowsIt() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(401).body("bad token " + TOKEN).build());
        PrometheusConfig config = Fixtures.config(server).withAuth(PrometheusAuth.bearer(TOKEN))
                .withRetry(RetryPolicy.NONE);
        Measurement m;
        try (PrometheusMetricSource source = new PrometheusMetricSource(config)) {
            m = source.instant("up", Fixtures.NOW);
            assertThat(source.toString()).doesNotContain(TOKEN);
        }

        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer " + TOKEN);
        assertThat(((Measurement.Failed) m).reason()).contains("HTTP 401").contains("check the credentials")
                .contains("bad token ***").doesNotContain(TOKEN);
        assertThat(config.toString()).doesNotContain(TOKEN).contains("token=***");
    }

    @Test
    void sendsBasicAuthButNeverShowsPassword() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(403)
                .body("denied: Basic Z2F0ZTpwYTU1LXcwcmQtdmFsdWU= / " + PASSWORD).build());
        PrometheusConfig config = Fixtures.config(server).withAuth(PrometheusAuth.basic("gate", PASSWORD))
                .withRetry(RetryPolicy.NONE);
        Measurement m;
        try (PrometheusMetricSource source = new PrometheusMetricSource(config)) {
            m = source.instant("up", Fixtures.NOW);
        }

        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Basic Z2F0ZTpwYTU1LXcwcmQtdmFsdWU="); // base64("gate:pa55-w0rd-value")
        assertThat(((Measurement.Failed) m).reason()).contains("HTTP 403").contains("denied: Basic *** / ***")
                .doesNotContain(PASSWORD);
        assertThat(config.toString()).doesNotContain(PASSWORD).contains("user=gate");
    }

    @Test
    void interruptWhileWaitingForAnswerPropagatesAndKeepsFlag() throws Exception {
        server.enqueue(Fixtures.json(200, "vector-one.json").newBuilder().headersDelay(5, TimeUnit.SECONDS).build());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        try (PrometheusMetricSource source = new PrometheusMetricSource(Fixtures.config(server))) {
            Thread caller = new Thread(() -> {
                try {
                    source.instant("up", Fixtures.NOW);
                } catch (InterruptedException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            long started = System.nanoTime();
            caller.start();
            server.takeRequest(2, TimeUnit.SECONDS); // the request is in flight
            caller.interrupt();
            caller.join(3_000);

            assertThat(caller.isAlive()).as("caller still blocked after interrupt").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(flagKept.get()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void interruptedCallerSendsNothing() {
        try (PrometheusMetricSource source = new PrometheusMetricSource(Fixtures.config(server))) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> source.instant("up", Fixtures.NOW)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void interruptDuringBackoffStopsRetrying() {
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(Fixtures.json(200, "vector-one.json"));
        PrometheusMetricSource.Sleeper interruptedSleep = d -> {
            Thread.currentThread().interrupt();
            Thread.sleep(d.toMillis());
        };
        try (PrometheusMetricSource source = new PrometheusMetricSource(Fixtures.config(server), interruptedSleep,
                () -> 0.0)) {
            assertThatThrownBy(() -> source.instant("up", Fixtures.NOW)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refusesBadArgumentsAtTheDoor() {
        try (PrometheusMetricSource source = new PrometheusMetricSource(Fixtures.config(server))) {
            assertThatThrownBy(() -> source.instant(" ", Fixtures.NOW))
                    .hasMessage("query must not be blank, got \" \"");
            assertThatThrownBy(() -> source.range("up", Fixtures.NOW, Fixtures.NOW.minusSeconds(1), Duration.ofSeconds(1)))
                    .hasMessageStartingWith("start must not be after end");
            assertThatThrownBy(() -> source.range("up", Fixtures.NOW, Fixtures.NOW, Duration.ZERO))
                    .hasMessage("step must be at least 1 ms, got PT0S");
            assertThatThrownBy(() -> source.range("up", Fixtures.NOW.minusSeconds(86_400), Fixtures.NOW,
                    Duration.ofSeconds(1))).hasMessageContaining("86401 points").hasMessageContaining("11000");
        }
        assertThat(server.getRequestCount()).isZero();
    }
}
