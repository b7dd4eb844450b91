package dev.rollbackdeploy.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.gate.Measurement;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Sends one query until it gives an answer worth keeping, within the query timeout: classifies each
 * HTTP outcome as final or retryable, and waits between attempts (Retry-After, else jittered backoff).
 */
final class Retrier {

    private static final System.Logger LOG = System.getLogger(PrometheusMetricSource.class.getName());

    /**
     * One attempt's verdict: keep it, or (a Failed) try again after {@code retryAfter}, null = backoff.
     */
    private record Verdict(Measurement measurement, boolean retry, Duration retryAfter) {
    }

    private final OkHttpClient client;
    private final PrometheusConfig config;
    private final PrometheusMetricSource.Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final Redactor redactor;

    Retrier(OkHttpClient client, PrometheusConfig config, PrometheusMetricSource.Sleeper sleeper,
            DoubleSupplier jitter) {
        this.client = client;
        this.config = config;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.redactor = new Redactor(config.auth());
    }

    /** @param budget the whole call's time, retries and waits included */
    Measurement run(String query, Request request, Function<JsonNode, Measurement> reader, Duration budget)
            throws InterruptedException {
        RetryPolicy policy = config.retry();
        long deadline = System.nanoTime() + budget.toNanos();
        for (int attempt = 1; ; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted before attempt " + attempt + " of query " + query);
            }
            Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
            HttpAttempt.Outcome outcome = HttpAttempt.run(client, request, remaining, config.maxBodyBytes());
            Verdict judged = judge(query, request, outcome, reader);
            // Every reason may quote the server or an exception: mask secrets once, here, before any use.
            Verdict verdict = new Verdict(redactor.redact(judged.measurement()), judged.retry(), judged.retryAfter());
            if (!verdict.retry()) {
                return verdict.measurement();
            }
            String reason = ((Measurement.Failed) verdict.measurement()).reason();
            if (attempt >= policy.maxAttempts()) {
                return new Measurement.Failed(query, reason + (attempt > 1 ? " (after " + attempt + " attempts)" : ""));
            }
            Duration wait;
            if (verdict.retryAfter() != null) {
                if (verdict.retryAfter().compareTo(policy.maxRetryAfter()) > 0) {
                    return new Measurement.Failed(query, reason + "; the server asks to wait "
                            + verdict.retryAfter() + ", longer than maxRetryAfter " + policy.maxRetryAfter());
                }
                wait = verdict.retryAfter();
            } else {
                wait = policy.backoff(attempt, jitter.getAsDouble());
            }
            if (wait.toNanos() >= deadline - System.nanoTime()) {
                return new Measurement.Failed(query, reason + " (" + (attempt > 1 ? "after " + attempt
                        + " attempts; " : "") + "no time left to retry within the query's budget of "
                        + HttpAttempt.seconds(budget) + ")");
            }
            LOG.log(Level.INFO, "Prometheus query failed ({0}); retry {1}/{2} in {3} ms", reason, attempt,
                    policy.maxAttempts() - 1, wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
    }

    private Verdict judge(String query, Request request, HttpAttempt.Outcome outcome,
            Function<JsonNode, Measurement> reader) {
        if (outcome instanceof HttpAttempt.NoAnswer none) {
            return new Verdict(new Measurement.Failed(query, none.reason()), none.retryable(), null);
        } else if (outcome instanceof HttpAttempt.Answer answer) {
            if (answer.code() >= 200 && answer.code() < 300) {
                ApiEnvelope.Parsed parsed = ApiEnvelope.parse(answer.body(), answer.contentType());
                if (parsed instanceof ApiEnvelope.Unusable unusable) {
                    return done(new Measurement.Failed(query, unusable.reason()));
                } else if (parsed instanceof ApiEnvelope.Data data) {
                    if (!data.warnings().isEmpty()) {
                        LOG.log(Level.WARNING, "Prometheus warns about query {0}: {1}", query,
                                redactor.redact(data.warnings().toString()));
                    }
                    return done(reader.apply(data.data()));
                }
                throw new AssertionError(parsed);
            }
            String reason = httpReason(request, answer);
            boolean retry = answer.code() >= 500 || answer.code() == 429 || answer.code() == 408;
            return new Verdict(new Measurement.Failed(query, reason), retry, retry ? retryAfter(answer) : null);
        }
        throw new AssertionError(outcome);
    }

    private static Verdict done(Measurement measurement) {
        return new Verdict(measurement, false, null);
    }

    private static String httpReason(Request request, HttpAttempt.Answer answer) {
        String status = "HTTP " + answer.code() + (answer.message().isEmpty() ? "" : " " + answer.message())
                + " from " + request.url();
        String body = ApiEnvelope.errorMessage(answer.body()).map(e -> "Prometheus says " + e)
                .orElseGet(() -> ApiEnvelope.looksLikeHtml(answer.body(), answer.contentType())
                        ? "an HTML page answered (" + ApiEnvelope.snippet(answer.body())
                                + "), not Prometheus: a proxy or load balancer in front of it failed"
                        : "body " + ApiEnvelope.snippet(answer.body()));
        int code = answer.code();
        String hint;
        if (code >= 300 && code < 400) {
            hint = "; redirected to " + answer.location() + ": point baseUrl at Prometheus itself";
        } else if (code == 401 || code == 403) {
            hint = "; check the credentials configured for this Prometheus";
        } else if (code == 404) {
            hint = "; is baseUrl the Prometheus root, including any --web.route-prefix?";
        } else if (code == 400 || code == 422) {
            hint = "; fix the query";
        } else {
            hint = "";
        }
        return status + ": " + body + hint;
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable. */
    private Duration retryAfter(HttpAttempt.Answer answer) {
        String value = answer.retryAfter();
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(config.clock().instant(), when);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
