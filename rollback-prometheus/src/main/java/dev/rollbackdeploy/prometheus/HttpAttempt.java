package dev.rollbackdeploy.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** One HTTP exchange with Prometheus: bounded in time and size, and abandoned when the caller is interrupted. */
final class HttpAttempt {

    /** What one attempt gave, before any Prometheus-level interpretation. */
    sealed interface Outcome {
    }

    /** The server answered with a complete body of at most the cap. */
    record Answer(int code, String message, String contentType, String retryAfter, String location, byte[] body)
            implements Outcome {
    }

    /** No usable answer. {@code retryable} says whether the same request may succeed later. */
    record NoAnswer(String reason, boolean retryable) implements Outcome {
    }

    // Slack beyond the call timeout before we stop waiting for OkHttp itself: a last guard against a hang.
    private static final Duration GUARD = Duration.ofSeconds(2);

    private HttpAttempt() {
    }

    /**
     * Runs the request asynchronously so that the waiting thread stays interruptible: OkHttp's blocking
     * socket reads do not react to {@link Thread#interrupt()}.
     */
    static Outcome run(OkHttpClient client, Request request, Duration timeout, long maxBodyBytes)
            throws InterruptedException {
        if (timeout.toMillis() < 1) {
            // okio reads a zero timeout as "none": never let a spent budget become an unbounded call.
            return new NoAnswer("no time left within the query's budget", false);
        }
        Call call = client.newCall(request);
        // callTimeout spans connect, request, and the whole body, so a trickling body ends here too.
        call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                result.complete(describe(e, timeout));
            }

            @Override
            public void onResponse(Call answered, Response response) {
                try (response) {
                    result.complete(read(response, maxBodyBytes));
                } catch (IOException e) {
                    result.complete(describe(e, timeout));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        });
        try {
            return result.get(timeout.plus(GUARD).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            call.cancel();
            Thread.currentThread().interrupt();
            throw e;
        } catch (TimeoutException e) {
            call.cancel();
            return new NoAnswer("no answer within " + seconds(timeout) + " (timeout)", true);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the Prometheus answer failed unexpectedly", e.getCause());
        }
    }

    private static Outcome read(Response response, long maxBodyBytes) throws IOException {
        ResponseBody body = response.body();
        long declared = body.contentLength();
        if (declared > maxBodyBytes) {
            return tooLarge("declares " + declared + " bytes", maxBodyBytes);
        }
        byte[] bytes;
        try (InputStream in = body.byteStream()) {
            // One byte more than allowed tells "exactly at the cap" from "over it" without reading the rest.
            bytes = in.readNBytes((int) maxBodyBytes + 1);
        }
        if (bytes.length > maxBodyBytes) {
            return tooLarge("is longer than that", maxBodyBytes);
        }
        return new Answer(response.code(), response.message(), response.header("Content-Type", ""),
                response.header("Retry-After"), response.header("Location"), bytes);
    }

    private static Outcome tooLarge(String what, long maxBodyBytes) {
        return new NoAnswer("answer body " + what + ", over the cap of " + maxBodyBytes
                + " bytes: narrow the query (aggregate with sum/avg, fewer series) or raise maxBodyBytes", false);
    }

    private static NoAnswer describe(IOException e, Duration timeout) {
        if (e instanceof ConnectException) {
            return new NoAnswer("connection refused (" + e.getMessage()
                    + "): is Prometheus running, and is baseUrl right?", true);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            // OkHttp reports an expired callTimeout as InterruptedIOException("timeout").
            return new NoAnswer("no complete answer within " + seconds(timeout)
                    + " (timeout): Prometheus is overloaded or the query is too expensive", true);
        }
        if (e instanceof UnknownHostException) {
            return new NoAnswer("unknown host (" + e.getMessage() + "): check baseUrl and DNS", true);
        }
        if (e instanceof SSLException) {
            return new NoAnswer("TLS failure (" + e.getMessage()
                    + "): check the certificate and that baseUrl uses the right scheme", false);
        }
        return new NoAnswer("connection error (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                true);
    }

    /** "1.0 s" rather than "999 ms" for a budget that was 1 s before the clock moved on. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
