package dev.rollbackdeploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigTest {

    private static final PrometheusConfig OK = PrometheusConfig.of("http://prom:9090/");

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                row("credentials in URL", () -> PrometheusConfig.of("http://admin:hunter2@prom:9090/"),
                        "baseUrl must not carry credentials, got http://***@prom:9090/; configure PrometheusAuth.basic(...) instead"),
                row("unparseable URL with credentials", () -> PrometheusConfig.of("http://admin:hun ter2@prom:9090/"),
                        "baseUrl is not a valid URL, got http://***@prom:9090/"),
                row("no scheme", () -> PrometheusConfig.of("prom:9090"),
                        "baseUrl must be an absolute http(s) URL with a host, got prom:9090"),
                row("ftp", () -> PrometheusConfig.of("ftp://prom/"),
                        "baseUrl must be an absolute http(s) URL with a host, got ftp://prom/"),
                row("query in URL", () -> PrometheusConfig.of("http://prom/?x=1"),
                        "baseUrl must not have a query or fragment, got http://prom/?x=1"),
                row("zero timeout", () -> OK.withQueryTimeout(Duration.ZERO), "queryTimeout must be positive, got PT0S"),
                row("negative scrape", () -> OK.withScrapeInterval(Duration.ofSeconds(-1)),
                        "scrapeInterval must be positive, got PT-1S"),
                row("tiny body cap", () -> OK.withMaxBodyBytes(10), "maxBodyBytes must be 1024..2147483639, got 10"),
                row("blank token", () -> PrometheusAuth.bearer(" "), "token must not be blank"),
                row("token with newline", () -> PrometheusAuth.bearer("abc\r\nX-Evil: 1"),
                        "token must not contain line breaks or control characters"),
                row("user with colon", () -> PrometheusAuth.basic("u:p", "x"),
                        "user must be non-blank, without ':' or control characters (RFC 7617)"),
                row("zero attempts", () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                        "maxAttempts must be 1..10, got 0"),
                row("max below initial", () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1),
                        Duration.ZERO), "maxBackoff must be >= initialBackoff (PT2S), got PT1S"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void refusesBadConfigNamingFieldAndValue(String name, Supplier<Object> build, String message) {
        assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void defaultsFollowTheBrief() {
        assertThat(OK.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(OK.maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(OK.withScrapeInterval(Duration.ofSeconds(1)).stalenessLimit()).isEqualTo(Duration.ofSeconds(2));
        assertThat(OK.auth()).isEqualTo(PrometheusAuth.none());
    }

    @Test
    void secretsStayOutOfToString() {
        assertThat(PrometheusAuth.bearer("tok-123").toString()).doesNotContain("tok-123");
        assertThat(PrometheusAuth.basic("me", "pw-456").toString()).doesNotContain("pw-456");
        assertThat(OK.withAuth(PrometheusAuth.basic("me", "pw-456")).toString()).doesNotContain("pw-456");
    }

    private static Arguments row(String name, Supplier<Object> build, String message) {
        return Arguments.of(name, build, message);
    }
}
