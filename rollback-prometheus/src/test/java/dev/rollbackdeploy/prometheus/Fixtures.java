package dev.rollbackdeploy.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Canned Prometheus answers from src/test/resources/prometheus, and a config pointing at a mock server. */
final class Fixtures {

    /** All fixture timestamps are about 1700000000 (2023-11-14T22:13:20Z); "now" is one second later. */
    static final Instant NOW = Instant.ofEpochSecond(1_700_000_001);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/prometheus/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /prometheus/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse json(int code, String fixture) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(text(fixture)).build();
    }

    static PrometheusConfig config(MockWebServer server) {
        return PrometheusConfig.of(server.url("/").toString()).withClock(CLOCK);
    }
}
