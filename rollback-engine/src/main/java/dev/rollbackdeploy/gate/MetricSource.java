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

    /**
     * As {@link #instant(String, Instant)}, but answers within {@code timeout}: a source that cannot
     * answer in time returns {@link Measurement.Failed} saying so. The gate derives the timeout from
     * what is left of its duration (issue 9: a trickling Prometheus held a 20 s gate for 44 s). The
     * default ignores the timeout; {@link GateProbe} then turns a late answer into a failure itself.
     *
     * @throws InterruptedException the caller was interrupted while waiting (the interrupt is kept)
     */
    default Measurement instant(String query, Instant at, Duration timeout) throws InterruptedException {
        return instant(query, at);
    }

    /**
     * As {@link #range(String, Instant, Instant, Duration)}, but answers within {@code timeout} (see
     * {@link #instant(String, Instant, Duration)}).
     *
     * @throws InterruptedException the caller was interrupted while waiting (the interrupt is kept)
     */
    default Measurement range(String query, Instant start, Instant end, Duration step, Duration timeout)
            throws InterruptedException {
        return range(query, start, end, step);
    }
}
