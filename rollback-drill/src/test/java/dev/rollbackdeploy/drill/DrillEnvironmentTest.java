package dev.rollbackdeploy.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillEnvironmentTest {

    @Test
    void servesStableOnlyExportsMetricsAndStopsEverything() throws Exception {
        List<String> progress = new ArrayList<>();
        int frontend;
        try (DrillEnvironment env = DrillEnvironment.start("v1", "v2", 100, progress::add);
                PrometheusMetricSource source = new PrometheusMetricSource(PrometheusConfig.of(env.prometheus().baseUrl())
                        .withScrapeInterval(Duration.ofSeconds(1)))) {
            frontend = env.haproxy().frontendPort();
            Measurement seen = awaitValue(source, "sum(haproxy_server_http_responses_total{proxy=\"app\",code=\"2xx\"})");

            assertThat(seen).as(env.prometheus().logTail()).isInstanceOf(Measurement.Value.class);
            assertThat(((Measurement.Value) seen).value()).isPositive();
            assertThat(env.load().ok("v1")).isPositive();
            assertThat(env.load().ok("v2")).isZero();
            assertThat(env.load().transportFailures()).isZero();
            assertThat(progress).anyMatch(line -> line.startsWith("haproxy: frontend :"));
        }
        assertThat(isListening(frontend)).isFalse();
    }

    private static Measurement awaitValue(PrometheusMetricSource source, String query) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        Measurement last = source.instant(query, Instant.now());
        while (!(last instanceof Measurement.Value v && v.value() > 0) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            last = source.instant(query, Instant.now());
        }
        return last;
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
