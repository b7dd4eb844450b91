package dev.rollbackdeploy.prometheus;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a failed query is retried. Only failures that may pass on their own are
 * retried (5xx, 408, 429, connection errors, timeouts); all attempts together stay within the query
 * timeout of {@link PrometheusConfig}.
 *
 * @param maxAttempts    attempts in total, 1 = no retry
 * @param initialBackoff wait before the first retry, doubled for each further one
 * @param maxBackoff     upper bound of the doubled wait
 * @param maxRetryAfter  longest {@code Retry-After} a 429/503 may ask for; longer and we give up
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));

    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1..10, got " + maxAttempts);
        }
        requireNotNegative("initialBackoff", initialBackoff);
        requireNotNegative("maxBackoff", maxBackoff);
        requireNotNegative("maxRetryAfter", maxRetryAfter);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff must be >= initialBackoff (" + initialBackoff + "), got " + maxBackoff);
        }
    }

    /**
     * The wait before retry number {@code retry} (1 = first retry): exponential, capped, with "equal
     * jitter" so that several gates hitting one Prometheus do not retry in lockstep, yet never wait less
     * than half the nominal delay.
     *
     * @param unitRandom a random number in [0, 1)
     */
    public Duration backoff(int retry, double unitRandom) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, got " + retry);
        }
        if (!(unitRandom >= 0 && unitRandom < 1)) {
            throw new IllegalArgumentException("unitRandom must be in [0, 1), got " + unitRandom);
        }
        long nominal = initialBackoff.toNanos();
        for (int i = 1; i < retry && nominal < maxBackoff.toNanos(); i++) {
            nominal *= 2;
        }
        nominal = Math.min(nominal, maxBackoff.toNanos());
        long half = nominal / 2;
        return Duration.ofNanos(half + (long) (unitRandom * (nominal - half)));
    }

    private static void requireNotNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }
}
