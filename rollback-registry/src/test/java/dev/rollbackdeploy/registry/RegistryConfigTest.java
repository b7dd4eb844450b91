package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryConfigTest {

    private static final RegistryConfig CONFIG = RegistryConfig.defaults()
            .withInsecureRegistries(Set.of("registry.lan:5000", "build-cache"));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "Docker Hub maps to its API host,   docker.io,           https://registry-1.docker.io/",
            "old Docker Hub name too,           index.docker.io,     https://registry-1.docker.io/",
            "others use HTTPS by default,       ghcr.io,             https://ghcr.io/",
            "port kept,                         registry.corp:8443,  https://registry.corp:8443/",
            "localhost is plain HTTP,           localhost:5000,      http://localhost:5000/",
            "127/8 is plain HTTP,               127.0.0.2:5000,      http://127.0.0.2:5000/",
            "IPv6 loopback is plain HTTP,       '[::1]:5000',        'http://[::1]:5000/'",
            "listed host:port is plain HTTP,    registry.lan:5000,   http://registry.lan:5000/",
            "listed host:port only that port,   registry.lan:5001,   https://registry.lan:5001/",
            "listed host any port,              build-cache:9000,    http://build-cache:9000/",
            "lookalike of localhost is not,     localhost.evil.com,  https://localhost.evil.com/",
    })
    void mapsRegistryToApiRoot(String row, String registry, String expected) {
        assertThat(CONFIG.baseUrl(registry)).hasToString(expected);
    }

    @Test
    void loopbackCanBeForcedToHttps() {
        RegistryConfig strict = new RegistryConfig(Set.of(), false, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1, Duration.ofMillis(1), Duration.ofMillis(1));

        assertThat(strict.baseUrl("localhost:5000")).hasToString("https://localhost:5000/");
    }

    @ParameterizedTest(name = "after {0} failures wait {1} ms")
    @CsvSource({"1, 500", "2, 1000", "3, 2000", "5, 8000", "6, 10000", "9, 10000"})
    void backoffDoublesUpToTheCap(int failures, long millis) {
        assertThat(RegistryConfig.defaults().backoff(failures)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "zero attempts        | 0  | 1    | 1  | registry maxAttempts must be 1..10, got 0",
            "too many attempts    | 11 | 1    | 1  | registry maxAttempts must be 1..10, got 11",
            "zero backoff         | 3  | 0    | 1  | registry initialBackoff must be positive, got PT0S",
            "cap below initial    | 3  | 2000 | 1  | registry maxBackoff must be at least initialBackoff (PT2S), got PT1S",
    })
    void refusesBadRetrySettings(String row, int attempts, long initialMillis, long maxSeconds, String message) {
        assertThatThrownBy(() -> RegistryConfig.defaults()
                .withRetries(attempts, Duration.ofMillis(initialMillis), Duration.ofSeconds(maxSeconds)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "Retry-After ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "7                             | PT7S",
            "0                             | PT0S",
            "Thu, 01 Jan 2026 00:00:30 GMT | PT30S",
            "Wed, 31 Dec 2025 23:00:00 GMT | PT0S",
            "soon                          | none",
            "-5                            | none",
    })
    void parsesRetryAfterSecondsAndDates(String header, String expected) {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(RetryingCaller.parseRetryAfter(header, clock))
                .isEqualTo(expected == null ? null : Duration.parse(expected));
    }
}
