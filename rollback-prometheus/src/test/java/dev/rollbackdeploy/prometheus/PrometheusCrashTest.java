package dev.rollbackdeploy.prometheus;

import dev.rollbackdeploy.local.LocalPrometheus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.Measurement;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Its own Prometheus, because this test kills it. */
class PrometheusCrashTest {

    private static FakeExporter exporter;
    private static LocalPrometheus prometheus;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        exporter = new FakeExporter();
        exporter.serve("canary", 99, 1);
        prometheus = LocalPrometheus.scraping(exporter.port());
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void killedPrometheusGivesFailedConnectionRefusedWithoutHanging() throws InterruptedException {
        PrometheusConfig config = RealPrometheus.config(prometheus);
        try (PrometheusMetricSource source = new PrometheusMetricSource(config)) {
            Measurement before = RealPrometheus.pollInstant(source, "up", Measurement.Value.class,
                    Duration.ofSeconds(20));
            assertThat(before).as(prometheus.logTail()).isInstanceOf(Measurement.Value.class);
            assertThat(((Measurement.Value) before).value()).isEqualTo(1.0);

            prometheus.kill();
            long started = System.nanoTime();
            Measurement m = source.instant("up", Instant.now());

            assertThat(m).isInstanceOf(Measurement.Failed.class);
            assertThat(((Measurement.Failed) m).reason()).startsWith("connection refused")
                    .contains("after 3 attempts");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(config.queryTimeout());
        }
    }
}
