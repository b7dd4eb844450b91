package dev.rollbackdeploy.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    @Test
    void countsAnswersPerVersionAndServerErrorsApartFromTransportFailures() throws Exception {
        try (SampleService v2 = SampleService.start("v2")) {
            URI uri = URI.create("http://127.0.0.1:" + v2.port() + "/");
            try (LoadGenerator load = LoadGenerator.start(uri, 2, 200)) {
                awaitUntil(() -> load.ok("v2") >= 20);
                v2.inject(new SampleService.Fault(1.0, Duration.ZERO));
                awaitUntil(() -> load.serverErrors("v2") >= 20);

                assertThat(load.transportFailures()).isZero();
                assertThat(v2.served()).isGreaterThanOrEqualTo(40);
            }
        }
    }

    @Test
    void aStoppedBackendIsATransportFailureWithItsReason() throws Exception {
        SampleService gone = SampleService.start("v1");
        URI uri = URI.create("http://127.0.0.1:" + gone.port() + "/");
        gone.close();

        try (LoadGenerator load = LoadGenerator.start(uri, 1, 50)) {
            awaitUntil(() -> load.transportFailures() >= 3);

            assertThat(load.ok("v1")).isZero();
            assertThat(load.failureReasons()).first().asString().contains("ConnectException");
        }
    }

    @Test
    void recordsOnlyRequestsSentAfterRecordingStarts() throws Exception {
        try (SampleService v1 = SampleService.start("v1");
                LoadGenerator load = LoadGenerator.start(URI.create("http://127.0.0.1:" + v1.port() + "/"), 1, 100)) {
            awaitUntil(() -> load.ok("v1") >= 5);
            long from = System.nanoTime();
            load.recordFromNow();
            awaitUntil(() -> load.recorded().size() >= 5);

            assertThat(load.recorded()).allSatisfy(s -> {
                assertThat(s.sentAtNanos()).isGreaterThanOrEqualTo(from);
                assertThat(s.servedBy()).isEqualTo("v1");
            });
        }
    }

    @Test
    void rejectsAFaultOutsideItsRange() {
        assertThatThrownBy(() -> new SampleService.Fault(1.5, Duration.ZERO)).hasMessageContaining("got 1.5");
    }

    /** Polls real servers with a deadline; fails with what it waited for. */
    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
