package dev.rollbackdeploy.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Retries API calls that failed for a reason that may pass: 429 (waiting at least what the server
 * asked for), 409 conflicts, 5xx, and connections that broke. Backoff doubles from {@code base} up to
 * {@code max}, with "equal jitter" (half fixed, half random) so that several jobs retrying against
 * one overloaded API server spread out. Other errors (400, 403, 404, 422) are answered at once.
 *
 * <p>fabric8's own retry is switched off by {@link KubernetesClients} (requestRetryBackoffLimit 0):
 * it runs on its own threads where an interrupt cannot reach, and it would multiply with this one.
 */
public final class Retrying {

    /** One API call. */
    @FunctionalInterface
    public interface Call<T> {
        T run();
    }

    /** How to wait; tests record the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Set<Integer> RETRYABLE = Set.of(409, 429, 500, 502, 503, 504);

    private final int maxAttempts;
    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    public Retrying(int maxAttempts, Duration base, Duration max, DoubleSupplier random, Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be 1 or more, got " + maxAttempts);
        }
        if (base == null || base.isNegative() || max == null || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= base <= max, got base=" + base + " max=" + max);
        }
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** 6 attempts, 200 ms doubling to 5 s: about 10 s of patience in all. */
    public static Retrying standard() {
        return new Retrying(6, Duration.ofMillis(200), Duration.ofSeconds(5), Math::random,
                d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Runs the call until it succeeds, fails for good, or the attempts run out.
     *
     * @param what a few words naming the call, for the error message (never a secret)
     * @throws IOException          the last failure; the call may or may not have taken effect
     * @throws InterruptedException interrupted while calling or waiting; the interrupt is kept
     */
    public <T> T call(String what, Call<T> call) throws IOException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            KubernetesClientException failure;
            try {
                return call.run();
            } catch (KubernetesClientException e) {
                failure = e;
            }
            if (interrupted(failure)) {
                Thread.currentThread().interrupt();
                InterruptedException interrupted = new InterruptedException(what + " was interrupted");
                interrupted.initCause(failure);
                throw interrupted;
            }
            if (!retryable(failure) || attempt >= maxAttempts) {
                throw new IOException(what + " failed" + (retryable(failure) ? " after " + attempt + " attempts" : "")
                        + ": " + describe(failure), failure);
            }
            sleeper.sleep(delay(attempt, failure));
        }
    }

    /** The wait before attempt {@code attempt + 1}. */
    Duration delay(int attempt, KubernetesClientException failure) {
        long cap = max.toMillis();
        long exponential = Math.min(cap, base.toMillis() << Math.min(attempt - 1, 30));
        long jittered = exponential / 2 + (long) (random.getAsDouble() * (exponential / 2.0));
        return Duration.ofMillis(Math.max(jittered, retryAfter(failure).toMillis()));
    }

    static boolean retryable(KubernetesClientException e) {
        return RETRYABLE.contains(e.getCode()) || e.getCode() <= 0 && causedBy(e, IOException.class);
    }

    /** Kubernetes puts Retry-After in the Status body too ({@code details.retryAfterSeconds}). */
    private static Duration retryAfter(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getDetails() != null && status.getDetails().getRetryAfterSeconds() != null) {
            return Duration.ofSeconds(Math.max(0, status.getDetails().getRetryAfterSeconds()));
        }
        return Duration.ZERO;
    }

    private static boolean interrupted(KubernetesClientException e) {
        return Thread.currentThread().isInterrupted() || causedBy(e, InterruptedException.class);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String describe(KubernetesClientException e) {
        if (e.getCode() <= 0) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "connection failed (" + root.getClass().getSimpleName() + ")";
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : "";
        return "HTTP " + e.getCode() + (message.isEmpty() ? "" : " " + message);
    }
}
