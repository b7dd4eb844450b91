package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Specs and measurements shared by the gate tests. */
final class GateFixtures {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private GateFixtures() {
    }

    static PromQlTemplate q(String template) {
        return new PromQlTemplate(template);
    }

    static MetricSpec.Threshold threshold(String name, double max) {
        return new MetricSpec.Threshold(name, q("max(latency{pod=~\"${canary}.*\"})"), ThresholdJudge.atMost(max));
    }

    static MetricSpec.ErrorRatio errorRatio(String name) {
        return new MetricSpec.ErrorRatio(name,
                q("sum(increase(errors{pod=~\"${canary}.*\"}[${elapsed}]))"),
                q("sum(increase(requests{pod=~\"${canary}.*\"}[${elapsed}]))"),
                q("sum(increase(errors{pod=~\"${baseline}.*\"}[${elapsed}]))"),
                q("sum(increase(requests{pod=~\"${baseline}.*\"}[${elapsed}]))"),
                0.001, 10, 0);
    }

    static GateSpec spec(List<MetricSpec> metrics, int failureLimit, int inconclusiveLimit, int errorLimit,
                         GateSpec.InconclusivePolicy policy) {
        return new GateSpec(metrics, Duration.ofSeconds(10), Duration.ofMinutes(10), failureLimit,
                inconclusiveLimit, errorLimit, 0.01, policy);
    }

    static Measurement value(double v) {
        return new Measurement.Value("q", v, T0);
    }

    static Measurement noData() {
        return new Measurement.NoData("q", "empty result");
    }

    static Measurement failed() {
        return new Measurement.Failed("q", "HTTP 503");
    }

    static List<Measurement> counts(long ce, long cr, long be, long br) {
        return List.of(value(ce), value(cr), value(be), value(br));
    }
}
