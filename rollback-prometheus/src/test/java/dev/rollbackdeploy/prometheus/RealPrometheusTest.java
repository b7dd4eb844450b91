package dev.rollbackdeploy.prometheus;

import dev.rollbackdeploy.local.LocalPrometheus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rollbackdeploy.gate.Measurement;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter against a real Prometheus scraping a {@link FakeExporter} every second. */
class RealPrometheusTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    private static FakeExporter exporter;
    private static LocalPrometheus prometheus;
    private static PrometheusMetricSource source;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        exporter = new FakeExporter();
        exporter.serve("stable", 99, 1);
        exporter.serve("canary", 99, 1);
        exporter.serve("bad", 90, 10);
        exporter.serve("leaving", 99, 1);
        prometheus = LocalPrometheus.scraping(exporter.port());
        source = new PrometheusMetricSource(RealPrometheus.config(prometheus));
    }

    @AfterAll
    static void stop() {
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
    void healthyCanaryErrorRatioIsNearTheTrueRatio() throws InterruptedException {
        Measurement m = RealPrometheus.pollInstant(source, RealPrometheus.errorRatio("canary"),
                Measurement.Value.class, SETTLE);

        assertThat(m).as(prometheus.logTail()).isInstanceOf(Measurement.Value.class);
        assertThat(((Measurement.Value) m).value()).isCloseTo(0.01, within(0.003));
    }

    @Test
    void canaryWithTenTimesTheErrorsGivesTheHigherValue() throws InterruptedException {
        Measurement healthy = RealPrometheus.pollInstant(source, RealPrometheus.errorRatio("canary"),
                Measurement.Value.class, SETTLE);
        Measurement bad = RealPrometheus.pollInstant(source, RealPrometheus.errorRatio("bad"),
                Measurement.Value.class, SETTLE);

        assertThat(bad).isInstanceOf(Measurement.Value.class);
        assertThat(((Measurement.Value) bad).value()).isCloseTo(0.1, within(0.02))
                .isGreaterThan(5 * ((Measurement.Value) healthy).value());
    }

    @Test
    void vanishedSeriesGiveNoDataNeverAValue() throws InterruptedException {
        String query = RealPrometheus.errorRatio("leaving");
        assertThat(RealPrometheus.pollInstant(source, query, Measurement.Value.class, SETTLE))
                .isInstanceOf(Measurement.Value.class);

        exporter.vanish("leaving");
        // Until the 5 s window has slid past the last samples, rate() still answers; then it must not.
        Measurement gone = RealPrometheus.pollInstant(source, query, Measurement.NoData.class, Duration.ofSeconds(15));

        assertThat(gone).isInstanceOf(Measurement.NoData.class);
        assertThat(((Measurement.NoData) gone).reason()).contains("empty vector");
        for (int i = 0; i < 4; i++) {
            Thread.sleep(500);
            assertThat(source.instant(query, Instant.now())).isInstanceOf(Measurement.NoData.class);
        }
    }

    @Test
    void increaseOverAShortWindowCountsRequests() throws InterruptedException {
        Measurement m = RealPrometheus.pollInstant(source,
                "sum(increase(http_requests_total{version=\"stable\"}[5s]))", Measurement.Value.class, SETTLE);

        assertThat(m).isInstanceOf(Measurement.Value.class);
        // 100 requests/s over 5 s; Prometheus extrapolates to the window edges.
        assertThat(((Measurement.Value) m).value()).isBetween(400.0, 600.0);
    }

    @Test
    void rangeQueryGivesOneSeriesOfRecentPoints() throws InterruptedException {
        String query = RealPrometheus.errorRatio("canary");
        RealPrometheus.pollInstant(source, query, Measurement.Value.class, SETTLE);
        Thread.sleep(3000); // let a few steps of history accumulate

        Instant end = Clock.systemUTC().instant();
        Measurement m = source.range(query, end.minusSeconds(3), end, Duration.ofSeconds(1));

        assertThat(m).isInstanceOf(Measurement.Series.class);
        Measurement.Series series = (Measurement.Series) m;
        assertThat(series.points()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(p -> assertThat(p.value()).isCloseTo(0.01, within(0.003)));
    }

    @Test
    void realAnswersThatAreNotOneNumberAreNoData() throws InterruptedException {
        Instant now = Instant.now();
        assertThat(reasonOf(source.instant("http_requests_total{version=\"nope\"}", now))).contains("empty vector");
        assertThat(reasonOf(RealPrometheus.pollInstant(source, "http_requests_total{version=\"canary\"}",
                Measurement.NoData.class, SETTLE))).contains("2 series where one is expected");
        assertThat(reasonOf(source.instant("0/0", now))).contains("NaN");
        assertThat(reasonOf(source.instant("1/0", now))).contains("+Inf");
    }

    @Test
    void badQueryFailsWithPrometheusMessage() throws InterruptedException {
        Measurement m = source.instant("sum(rate(http_requests_total[5s])", Instant.now());

        assertThat(m).isInstanceOf(Measurement.Failed.class);
        assertThat(((Measurement.Failed) m).reason()).contains("HTTP 400").contains("(bad_data)")
                .contains("parse error");
    }

    private static String reasonOf(Measurement m) {
        return ResponseClassificationTest.reasonOf(m) + " <" + m.getClass().getSimpleName() + ">";
    }
}
