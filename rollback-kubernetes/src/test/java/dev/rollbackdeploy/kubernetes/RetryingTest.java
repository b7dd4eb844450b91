package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryingTest {

    private final List<Duration> waits = new ArrayList<>();

    private Retrying retrying(double random) {
        return new Retrying(5, Duration.ofMillis(100), Duration.ofMillis(1000), () -> random, waits::add);
    }

    private static KubernetesClientException http(int code, Integer retryAfterSeconds) {
        StatusBuilder status = new StatusBuilder().withCode(code).withMessage("server says " + code);
        if (retryAfterSeconds != null) {
            status.withNewDetails().withRetryAfterSeconds(retryAfterSeconds).endDetails();
        }
        Status built = status.build();
        return new KubernetesClientException(built.getMessage(), code, built);
    }

    private static Retrying.Call<String> failing(Deque<RuntimeException> failures) {
        return () -> {
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            return "done";
        };
    }

    static Stream<Arguments> transientFailures() {
        return Stream.of(
                Arguments.of("500 internal error", http(500, null)),
                Arguments.of("503 unavailable", http(503, null)),
                Arguments.of("409 conflict", http(409, null)),
                Arguments.of("429 too many requests", http(429, null)),
                Arguments.of("connection reset", new KubernetesClientException("boom", new SocketException("Connection reset"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void retriesTransientFailuresWithGrowingBackoff(String row, KubernetesClientException failure) throws Exception {
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(failure, failure, failure));

        assertThat(retrying(1.0).call("apply x", failing(failures))).isEqualTo("done");

        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void jitterTakesUpToHalfOfEachWaitAndTheCapHolds() throws Exception {
        Deque<RuntimeException> failures = new ArrayDeque<>();
        for (int i = 0; i < 4; i++) {
            failures.add(http(500, null));
        }

        retrying(0.0).call("apply x", failing(failures));

        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400));
        assertThat(new Retrying(9, Duration.ofMillis(100), Duration.ofMillis(1000), () -> 1.0, waits::add)
                .delay(9, http(500, null))).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void waitsAtLeastWhatA429AskedFor() throws Exception {
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(http(429, 3)));

        retrying(0.0).call("apply x", failing(failures));

        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void permanentErrorsAreNotRetried() {
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(http(422, null)));

        assertThatThrownBy(() -> retrying(0.5).call("apply Deployment/shop/web", failing(failures)))
                .isInstanceOf(IOException.class)
                .hasMessage("apply Deployment/shop/web failed: HTTP 422 server says 422");
        assertThat(waits).isEmpty();
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheCount() {
        Deque<RuntimeException> failures = new ArrayDeque<>();
        for (int i = 0; i < 10; i++) {
            failures.add(http(503, null));
        }

        assertThatThrownBy(() -> retrying(0.5).call("apply x", failing(failures)))
                .isInstanceOf(IOException.class)
                .hasMessage("apply x failed after 5 attempts: HTTP 503 server says 503");
        assertThat(waits).hasSize(4);
    }

    @Test
    void anInterruptStopsRetryingAndIsKept() {
        Retrying.Call<String> interrupted = () -> {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", new InterruptedException());
        };
        try {
            assertThatThrownBy(() -> retrying(0.5).call("apply x", interrupted)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(waits).isEmpty();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptDuringTheWaitPropagates() {
        Retrying sleepy = new Retrying(5, Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.5, d -> {
            throw new InterruptedException("stop");
        });
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(http(500, null)));

        assertThatThrownBy(() -> sleepy.call("apply x", failing(failures))).isInstanceOf(InterruptedException.class);
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new Retrying(0, Duration.ZERO, Duration.ZERO, () -> 0, d -> { }))
                .hasMessage("maxAttempts must be 1 or more, got 0");
        assertThatThrownBy(() -> new Retrying(3, Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0, d -> { }))
                .hasMessage("backoff must satisfy 0 <= base <= max, got base=PT2S max=PT1S");
    }
}
