package dev.rollbackdeploy.prometheus;

import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import java.time.Clock;
import java.time.Duration;

/** Polling helpers for tests against a real Prometheus, whose data arrives one scrape at a time. */
final class RealPrometheus {

    private RealPrometheus() {
    }

    static PrometheusConfig config(LocalPrometheus prometheus) {
        return PrometheusConfig.of(prometheus.baseUrl())
                .withScrapeInterval(Duration.ofSeconds(1))
                .withQueryTimeout(Duration.ofSeconds(5))
                .withClock(Clock.systemUTC());
    }

    /** Queries now, every 250 ms, until the answer is a {@code kind} or {@code within} has passed; the last answer. */
    static Measurement pollInstant(MetricSource source, String query, Class<? extends Measurement> kind,
            Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Measurement last = source.instant(query, Clock.systemUTC().instant());
        while (!kind.isInstance(last) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = source.instant(query, Clock.systemUTC().instant());
        }
        return last;
    }

    /** Fraction of requests of {@code version} that answered 500, over the last 5 s. */
    static String errorRatio(String version) {
        return "sum(rate(http_requests_total{version=\"" + version + "\",code=\"500\"}[5s]))"
                + " / sum(rate(http_requests_total{version=\"" + version + "\"}[5s]))";
    }
}
