package dev.rollbackdeploy.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one request, retrying what a registry means as temporary: connection failures, timeouts,
 * 429 and 5xx. Honours {@code Retry-After} up to the configured cap. Every other answer, good or bad,
 * is returned for the caller to read. Interrupts stop it at once, with the thread's flag kept.
 */
final class RetryingCaller {

    private final OkHttpClient client;
    private final RegistryConfig config;
    private final Sleeper sleeper;
    private final Clock clock;

    RetryingCaller(OkHttpClient client, RegistryConfig config, Sleeper sleeper, Clock clock) {
        this.client = client;
        this.config = config;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** @return an answer that is not 429 or 5xx; the caller closes it */
    Response call(Request request) throws IOException {
        String what = request.method() + " " + printable(request.url());
        for (int attempt = 1; ; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted before " + what);
            }
            Response response;
            try {
                response = client.newCall(request).execute();
            } catch (IOException e) {
                if (isInterrupt(e)) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                if (attempt >= config.maxAttempts()) {
                    throw new IOException("registry could not be reached for " + what + " after " + attempt
                            + (attempt == 1 ? " attempt: " : " attempts: ") + describe(e), e);
                }
                pause(config.backoff(attempt), what);
                continue;
            }
            int code = response.code();
            if (code != 429 && code < 500) {
                return response;
            }
            String status = code + " " + response.message();
            Duration wait = waitFor(response, attempt);
            response.close();
            if (attempt >= config.maxAttempts()) {
                throw new IOException("registry answered " + status.strip() + " to " + what + " " + attempt
                        + " times; giving up");
            }
            if (wait.compareTo(config.maxBackoff()) > 0) {
                throw new IOException("registry answered " + status.strip() + " to " + what + " and asks to retry after "
                        + wait.toSeconds() + " s, longer than the " + config.maxBackoff().toSeconds()
                        + " s we wait; try again later");
            }
            pause(wait, what);
        }
    }

    private Duration waitFor(Response response, int attempt) {
        String retryAfter = response.header("Retry-After");
        if (retryAfter == null) {
            return config.backoff(attempt);
        }
        Duration asked = parseRetryAfter(retryAfter.strip(), clock);
        return asked == null ? config.backoff(attempt) : asked;
    }

    /** Delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when it is neither. */
    static Duration parseRetryAfter(String value, Clock clock) {
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void pause(Duration wait, String what) throws InterruptedIOException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException stop = new InterruptedIOException("interrupted while waiting to retry " + what);
            stop.initCause(e);
            throw stop;
        }
    }

    // A socket timeout is an InterruptedIOException too, but it is the network, not the user.
    private static boolean isInterrupt(IOException e) {
        return Thread.currentThread().isInterrupted()
                || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                        && !"timeout".equals(e.getMessage()));
    }

    /** The URL without user info or query (a token realm's query is ours, but may echo secrets back). */
    static String printable(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
