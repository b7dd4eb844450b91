package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private static final RetryPolicy POLICY =
            new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));

    @ParameterizedTest(name = "retry {0} at random {1} waits {2} ms")
    @CsvSource({
        "1, 0.0,   100",
        "1, 0.999, 199",
        "2, 0.0,   200",
        "2, 0.5,   300",
        "3, 0.0,   400",
        "4, 0.0,   500",
        "9, 0.5,   750",
    })
    void doublesUpToCapWithEqualJitter(int retry, double random, long expectedMillis) {
        assertThat(POLICY.backoff(retry, random).toMillis()).isEqualTo(expectedMillis);
    }
}
