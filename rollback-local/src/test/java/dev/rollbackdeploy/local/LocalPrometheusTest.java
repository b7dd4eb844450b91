package dev.rollbackdeploy.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fixture itself: a Prometheus that cannot start fails the test with its own words. */
class LocalPrometheusTest {

    @Test
    void prometheusThatCannotStartFailsWithLogTail() {
        assertThatThrownBy(() -> LocalPrometheus.withConfig("scrape_configs: [not: {valid\n"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("prometheus exited with")
                .hasMessageContaining("prometheus.yml");
    }
}
