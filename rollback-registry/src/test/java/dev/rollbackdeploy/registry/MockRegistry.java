package dev.rollbackdeploy.registry;

import dev.rollbackdeploy.image.ImageRef;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer posing as a registry on 127.0.0.1, with a clock and sleeper the test controls. */
final class MockRegistry implements AutoCloseable {

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    final MockWebServer server = new MockWebServer();
    final List<Duration> sleeps = new ArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    MockRegistry() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    String host() {
        return "127.0.0.1:" + server.getPort();
    }

    ImageRef image(String rest) {
        return ImageRef.parse(host() + "/" + rest);
    }

    /** 3 tries, 100 ms doubling to 1 s; waits are recorded, not taken. */
    OciRegistry registry(RegistryCredentials credentials) {
        return registry(RegistryConfig.defaults().withRetries(3, Duration.ofMillis(100), Duration.ofSeconds(1)),
                credentials);
    }

    OciRegistry registry(RegistryConfig config, RegistryCredentials credentials) {
        return new OciRegistry(OciRegistry.clientFor(config), config, credentials, sleeps::add, clock);
    }

    void enqueue(MockResponse.Builder response) {
        server.enqueue(response.build());
    }

    static MockResponse.Builder manifestHead() {
        return new MockResponse.Builder().code(200).addHeader("Docker-Content-Digest", DIGEST)
                .addHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json");
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("expected another request to the mock registry");
        }
        return request;
    }

    @Override
    public void close() {
        server.close();
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
