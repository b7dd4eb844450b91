package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.Measurement;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each answer Prometheus (or something in front of it) may give, and what the adapter makes of it. */
class ResponseClassificationTest {

    private static final String QUERY = "sum(rate(http_requests_total{version=\"canary\",code=~\"5..\"}[1m]))";

    private MockWebServer server;
    private PrometheusMetricSource source;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        source = new PrometheusMetricSource(Fixtures.config(server).withRetry(RetryPolicy.NONE));
    }

    @AfterEach
    void stop() {
        source.close();
        server.close();
    }

    static Stream<Arguments> instantAnswers() {
        return Stream.of(
                Arguments.of("one fresh sample", json(200, "vector-one.json"), Measurement.Value.class, ""),
                Arguments.of("scalar", json(200, "scalar.json"), Measurement.Value.class, ""),
                Arguments.of("empty vector", json(200, "vector-empty.json"), Measurement.NoData.class, "empty vector"),
                Arguments.of("several series", json(200, "vector-several.json"), Measurement.NoData.class,
                        "2 series where one is expected ({pod=a, version=canary}"),
                Arguments.of("NaN", json(200, "vector-nan.json"), Measurement.NoData.class, "NaN"),
                Arguments.of("+Inf", json(200, "vector-inf.json"), Measurement.NoData.class, "+Inf"),
                Arguments.of("-Inf", json(200, "vector-neginf.json"), Measurement.NoData.class, "-Inf"),
                Arguments.of("stale sample", json(200, "vector-stale.json"), Measurement.NoData.class,
                        "older than the staleness limit PT30S"),
                Arguments.of("string result", json(200, "string.json"), Measurement.Failed.class, "a string"),
                Arguments.of("matrix for an instant query", json(200, "matrix-one.json"), Measurement.Failed.class,
                        "wrong result type matrix"),
                Arguments.of("unknown result type", json(200, "unknown-type.json"), Measurement.Failed.class,
                        "unknown resultType \"histogram\""),
                Arguments.of("value in Java-only syntax", json(200, "vector-not-a-number.json"),
                        Measurement.Failed.class, "\"0x1p3\" is not a number"),
                Arguments.of("sample not a pair", json(200, "vector-bad-sample.json"), Measurement.Failed.class,
                        "not [unixSeconds, \"value\"]"),
                Arguments.of("truncated JSON", json(200, "truncated.json"), Measurement.Failed.class,
                        "not valid JSON, perhaps truncated"),
                Arguments.of("status success without data", json(200, "no-data.json"), Measurement.Failed.class,
                        "no data object"),
                Arguments.of("empty body", new MockResponse.Builder().code(200).build(), Measurement.Failed.class,
                        "body is empty"),
                Arguments.of("JSON array", json(200, "not-an-object.json"), Measurement.Failed.class,
                        "not a Prometheus API object"),
                Arguments.of("error status with 200", json(200, "error-execution.json"), Measurement.Failed.class,
                        "(execution): query processing would load too many samples"),
                Arguments.of("400 bad_data", json(400, "error-bad-data.json"), Measurement.Failed.class,
                        "HTTP 400 Client Error from http://"),
                Arguments.of("422 execution error", json(422, "error-execution.json"), Measurement.Failed.class,
                        "Prometheus says (execution): query processing would load too many samples"),
                Arguments.of("HTML 502 from a proxy", html(502), Measurement.Failed.class,
                        "an HTML page answered (\"<html> <head><title>502 Bad Gateway</title>"),
                Arguments.of("HTML page with 200", html(200), Measurement.Failed.class,
                        "is an HTML page"),
                Arguments.of("404", new MockResponse.Builder().code(404).body("404 page not found").build(),
                        Measurement.Failed.class, "--web.route-prefix"),
                Arguments.of("redirect", new MockResponse.Builder().code(302).setHeader("Location", "/login").build(),
                        Measurement.Failed.class, "redirected to /login"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instantAnswers")
    void classifiesInstantAnswer(String name, MockResponse answer, Class<? extends Measurement> kind, String reason)
            throws InterruptedException {
        server.enqueue(answer);

        Measurement m = source.instant(QUERY, Fixtures.NOW);

        assertThat(m).isInstanceOf(kind);
        assertThat(m.query()).isEqualTo(QUERY);
        assertThat(reasonOf(m)).contains(reason);
    }

    static Stream<Arguments> rangeAnswers() {
        return Stream.of(
                Arguments.of("one series", "matrix-one.json", Measurement.Series.class, ""),
                Arguments.of("empty matrix", "matrix-empty.json", Measurement.NoData.class, "empty matrix"),
                Arguments.of("several series", "matrix-several.json", Measurement.NoData.class, "2 series"),
                Arguments.of("only NaN and Inf", "matrix-nan.json", Measurement.NoData.class,
                        "none of the 2 points is finite"),
                Arguments.of("series stopped long ago", "matrix-stale.json", Measurement.NoData.class,
                        "the series stops at 2023-11-14T19:26:41Z"),
                Arguments.of("vector for a range query", "vector-one.json", Measurement.Failed.class,
                        "wrong result type \"vector\" for a range query"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rangeAnswers")
    void classifiesRangeAnswer(String name, String fixture, Class<? extends Measurement> kind, String reason)
            throws InterruptedException {
        server.enqueue(json(200, fixture));

        Measurement m = source.range(QUERY, Fixtures.NOW.minusSeconds(10), Fixtures.NOW.minusSeconds(1),
                Duration.ofSeconds(1));

        assertThat(m).isInstanceOf(kind);
        assertThat(reasonOf(m)).contains(reason);
    }

    @Test
    void readsExactValueAndSampleTime() throws InterruptedException {
        server.enqueue(json(200, "vector-one.json"));

        Measurement m = source.instant(QUERY, Fixtures.NOW);

        assertThat(m).isEqualTo(new Measurement.Value(QUERY, 0.0125, Instant.ofEpochSecond(1_700_000_000, 500_000_000)));
    }

    @Test
    void rangeSeriesKeepsLabelsAndDropsNonFinitePoints() throws InterruptedException {
        server.enqueue(json(200, "matrix-one.json"));

        Measurement m = source.range(QUERY, Fixtures.NOW.minusSeconds(3), Fixtures.NOW.minusSeconds(1),
                Duration.ofSeconds(1));

        assertThat(m).isInstanceOf(Measurement.Series.class);
        Measurement.Series series = (Measurement.Series) m;
        assertThat(series.labels()).containsExactly(java.util.Map.entry("version", "canary"));
        assertThat(series.points()).containsExactly(
                new Measurement.Point(Instant.ofEpochSecond(1_699_999_998), 0.01),
                new Measurement.Point(Instant.ofEpochSecond(1_700_000_000), 0.03));
    }

    private static MockResponse json(int code, String fixture) {
        return Fixtures.json(code, fixture);
    }

    private static MockResponse html(int code) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "text/html")
                .body(Fixtures.text("html-502.html")).build();
    }

    static String reasonOf(Measurement m) {
        if (m instanceof Measurement.NoData noData) {
            return noData.reason();
        } else if (m instanceof Measurement.Failed failed) {
            return failed.reason();
        } else if (m instanceof Measurement.Value || m instanceof Measurement.Series) {
            return "";
        }
        throw new AssertionError(m);
    }
}
