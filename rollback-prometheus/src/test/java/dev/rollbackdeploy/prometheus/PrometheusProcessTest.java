package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fixture itself: a Prometheus that cannot start fails the test with its own words. */
class PrometheusProcessTest {

    @Test
    void prometheusThatCannotStartFailsWithLogTail() {
        assertThatThrownBy(() -> PrometheusProcess.startWithConfig("scrape_configs: [not: {valid\n"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("before it was ready; log tail:")
                .hasMessageContaining("prometheus.yml");
    }
}
