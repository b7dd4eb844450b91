package dev.rollbackdeploy.prometheus;

import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * {@link MetricSource} over the Prometheus HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}),
 * sent as POST forms so that long queries need no URL length budget. Every call is idempotent; failures
 * that may pass (5xx, 408, 429, connection errors, timeouts) are retried within the query timeout. Safe for
 * concurrent use; close it to release OkHttp's threads and connections.
 *
 * <p>Staleness: Prometheus stamps an instant result with the evaluation time, not the scrape time, so the
 * adapter can only refuse answers for an {@code at} (or a series end) older than the staleness limit.
 * Vanished series are caught by Prometheus itself (staleness markers make them drop out, giving an empty
 * result); gate queries should use short {@code rate(...[window])} windows so old samples age out.
 */
public final class PrometheusMetricSource implements MetricSource, AutoCloseable {

    /** Waits between attempts; replaced in tests so that backoff is observed, not slept. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    // Prometheus refuses range queries above 11,000 points per series; say so before sending.
    private static final long MAX_POINTS = 11_000;

    private final PrometheusConfig config;
    private final OkHttpClient client;
    private final HttpUrl queryUrl;
    private final HttpUrl rangeUrl;
    private final ResultReader reader;
    private final Retrier retrier;

    public PrometheusMetricSource(PrometheusConfig config) {
        this(config, duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    PrometheusMetricSource(PrometheusConfig config, Sleeper sleeper, DoubleSupplier jitter) {
        this.config = Objects.requireNonNull(config, "config");
        // No redirects: following one could carry the Authorization header, or a login page, somewhere else.
        this.client = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();
        HttpUrl base = HttpUrl.get(config.baseUrl());
        this.queryUrl = base.newBuilder().addPathSegments("api/v1/query").build();
        this.rangeUrl = base.newBuilder().addPathSegments("api/v1/query_range").build();
        this.reader = new ResultReader(config.clock(), config.stalenessLimit());
        this.retrier = new Retrier(client, config, sleeper, jitter);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException the query is blank
     */
    @Override
    public Measurement instant(String query, Instant at) throws InterruptedException {
        return instant(query, at, config.queryTimeout());
    }

    /**
     * {@inheritDoc} The call, retries included, ends within the shorter of {@code timeout} and the
     * configured query timeout; Prometheus is told the same budget.
     *
     * @throws IllegalArgumentException the query is blank or the timeout is not positive
     */
    @Override
    public Measurement instant(String query, Instant at, Duration timeout) throws InterruptedException {
        requireQuery(query);
        Objects.requireNonNull(at, "at");
        Duration budget = budget(timeout);
        FormBody form = new FormBody.Builder(StandardCharsets.UTF_8)
                .add("query", query)
                .add("time", seconds(at))
                .add("timeout", budget.toMillis() + "ms")
                .build();
        return retrier.run(query, request(queryUrl, form), data -> reader.instant(query, data), budget);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException the query is blank, {@code start} is after {@code end}, the step is
     *                                  not positive, or the range has more than 11,000 steps
     */
    @Override
    public Measurement range(String query, Instant start, Instant end, Duration step) throws InterruptedException {
        return range(query, start, end, step, config.queryTimeout());
    }

    /**
     * {@inheritDoc} Bounded as {@link #instant(String, Instant, Duration)} is.
     *
     * @throws IllegalArgumentException as {@link #range(String, Instant, Instant, Duration)}, or the timeout
     *                                  is not positive
     */
    @Override
    public Measurement range(String query, Instant start, Instant end, Duration step, Duration timeout)
            throws InterruptedException {
        requireQuery(query);
        Duration budget = budget(timeout);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(step, "step");
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("start must not be after end (" + end + "), got " + start);
        }
        if (step.isNegative() || step.toMillis() < 1) {
            throw new IllegalArgumentException("step must be at least 1 ms, got " + step);
        }
        long points = Duration.between(start, end).toMillis() / step.toMillis() + 1;
        if (points > MAX_POINTS) {
            throw new IllegalArgumentException("step " + step + " gives " + points + " points over "
                    + Duration.between(start, end) + ", more than Prometheus' limit of " + MAX_POINTS);
        }
        FormBody form = new FormBody.Builder(StandardCharsets.UTF_8)
                .add("query", query)
                .add("start", seconds(start))
                .add("end", seconds(end))
                .add("step", seconds(step))
                .add("timeout", budget.toMillis() + "ms")
                .build();
        return retrier.run(query, request(rangeUrl, form), data -> reader.range(query, end, step, data), budget);
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "PrometheusMetricSource[" + config.baseUrl() + ", auth=" + config.auth() + "]";
    }

    private Request request(HttpUrl url, FormBody form) {
        Request.Builder builder = new Request.Builder().url(url).post(form).header("Accept", "application/json");
        PrometheusAuth auth = config.auth();
        if (auth instanceof PrometheusAuth.None) {
            return builder.build();
        } else if (auth instanceof PrometheusAuth.Bearer bearer) {
            return builder.header("Authorization", "Bearer " + bearer.token()).build();
        } else if (auth instanceof PrometheusAuth.Basic basic) {
            return builder.header("Authorization",
                    Credentials.basic(basic.user(), basic.password(), StandardCharsets.UTF_8)).build();
        }
        throw new AssertionError(auth);
    }

    /** The caller's deadline, never longer than the configured query timeout. */
    private Duration budget(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return timeout.compareTo(config.queryTimeout()) < 0 ? timeout : config.queryTimeout();
    }

    private static void requireQuery(String query) {
        Objects.requireNonNull(query, "query");
        if (query.isBlank()) {
            throw new IllegalArgumentException("query must not be blank, got \"" + query + "\"");
        }
    }

    /** Unix seconds with up to nanosecond digits, the form Prometheus parses for time and step. */
    static String seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }
}
