package dev.rollbackdeploy.prometheus;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how to query Prometheus.
 *
 * @param baseUrl        the Prometheus root including any route prefix, e.g. {@code http://prom:9090/};
 *                       credentials in the URL are refused (use {@link PrometheusAuth})
 * @param auth           how requests authenticate
 * @param queryTimeout   budget of one query, all retries included
 * @param retry          which failures are retried and how
 * @param scrapeInterval the scrape interval of the queried jobs; samples older than twice this are stale
 * @param maxBodyBytes   larger answers are refused without being read into memory
 * @param clock          "now" for the staleness check
 */
public record PrometheusConfig(URI baseUrl, PrometheusAuth auth, Duration queryTimeout, RetryPolicy retry,
        Duration scrapeInterval, long maxBodyBytes, Clock clock) {

    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

    public PrometheusConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        if (baseUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not carry credentials, got "
                    + mask(baseUrl.toString()) + "; configure PrometheusAuth.basic(...) instead");
        }
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL with a host, got " + baseUrl);
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment, got " + baseUrl);
        }
        requirePositive("queryTimeout", queryTimeout);
        requirePositive("scrapeInterval", scrapeInterval);
        if (maxBodyBytes < 1024 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBodyBytes must be 1024.." + (Integer.MAX_VALUE - 8)
                    + ", got " + maxBodyBytes);
        }
    }

    /** Defaults: no auth, 10 s query timeout, {@link RetryPolicy#DEFAULT}, 15 s scrapes, 4 MiB cap. */
    public static PrometheusConfig of(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            // URISyntaxException quotes its input, which may hold a password: build our own message.
            throw new IllegalArgumentException("baseUrl is not a valid URL, got " + mask(baseUrl));
        }
        return new PrometheusConfig(uri, PrometheusAuth.none(), DEFAULT_QUERY_TIMEOUT, RetryPolicy.DEFAULT,
                DEFAULT_SCRAPE_INTERVAL, DEFAULT_MAX_BODY_BYTES, Clock.systemUTC());
    }

    /** Samples older than this, relative to the clock, are {@code NoData}: twice the scrape interval. */
    public Duration stalenessLimit() {
        return scrapeInterval.multipliedBy(2);
    }

    public PrometheusConfig withAuth(PrometheusAuth value) {
        return new PrometheusConfig(baseUrl, value, queryTimeout, retry, scrapeInterval, maxBodyBytes, clock);
    }

    public PrometheusConfig withQueryTimeout(Duration value) {
        return new PrometheusConfig(baseUrl, auth, value, retry, scrapeInterval, maxBodyBytes, clock);
    }

    public PrometheusConfig withRetry(RetryPolicy value) {
        return new PrometheusConfig(baseUrl, auth, queryTimeout, value, scrapeInterval, maxBodyBytes, clock);
    }

    public PrometheusConfig withScrapeInterval(Duration value) {
        return new PrometheusConfig(baseUrl, auth, queryTimeout, retry, value, maxBodyBytes, clock);
    }

    public PrometheusConfig withMaxBodyBytes(long value) {
        return new PrometheusConfig(baseUrl, auth, queryTimeout, retry, scrapeInterval, value, clock);
    }

    public PrometheusConfig withClock(Clock value) {
        return new PrometheusConfig(baseUrl, auth, queryTimeout, retry, scrapeInterval, maxBodyBytes, value);
    }

    /** Replaces any {@code user:password@} of a URL-like string by {@code ***@}. */
    static String mask(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1***@");
    }

    private static void requirePositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
