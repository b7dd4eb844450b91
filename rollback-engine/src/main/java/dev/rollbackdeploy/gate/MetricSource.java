package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.time.Instant;

/**
 * A metrics backend (Prometheus). Queries only read, so every call is idempotent and may be retried.
 * Implementations never throw for measurement problems: they return {@link Measurement.NoData} or
 * {@link Measurement.Failed} with a reason a person can act on.
 */
public interface MetricSource {

    /**
     * Evaluates a query that must give exactly one value at {@code at}. Empty results, NaN, ±Inf,
     * several series, and samples older than the staleness limit are {@link Measurement.NoData}.
     *
     * @throws InterruptedException the caller was interrupted while waiting (the interrupt is kept)
     */
    Measurement instant(String query, Instant at) throws InterruptedException;

    /**
     * Evaluates a query over {@code [start, end]} at {@code step}; must give exactly one series.
     *
     * @throws InterruptedException the caller was interrupted while waiting (the interrupt is kept)
     */
    Measurement range(String query, Instant start, Instant end, Duration step) throws InterruptedException;
}
