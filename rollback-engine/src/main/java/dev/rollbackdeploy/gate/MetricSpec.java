package dev.rollbackdeploy.gate;

import java.util.List;
import java.util.Map;

/**
 * One named metric of a gate and how it is judged. {@link #queries()} lists the query templates in the
 * order the evaluator expects their measurements.
 */
public sealed interface MetricSpec {

    String name();

    List<PromQlTemplate> queries();

    /**
     * One metric from a map as a YAML or JSON parser gives it; {@code kind} is {@code threshold},
     * {@code errorRatio} or {@code comparison} (see {@link GateSpec#fromMap}).
     *
     * @throws IllegalArgumentException naming the field's path, the value and what would be right
     */
    static MetricSpec fromMap(Map<String, ?> map, String path) {
        return GateSpecReader.metric(map, path);
    }

    /** True for the judges that spend part of the gate's alpha (statistical comparisons). */
    default boolean spendsAlpha() {
        return !(this instanceof Threshold);
    }

    /** One instant value against bounds; a guardrail fails the gate at once. */
    record Threshold(String name, PromQlTemplate query, ThresholdJudge judge) implements MetricSpec {
        public Threshold {
            requireName(name);
            requireNonNull(name, "query", query);
            requireNonNull(name, "judge", judge);
        }

        @Override
        public List<PromQlTemplate> queries() {
            return List.of(query);
        }
    }

    /**
     * Canary vs baseline error ratio. The four queries give cumulative counts since the gate started
     * (e.g. {@code sum(increase(http_requests_total{...}[${elapsed}]))}).
     *
     * @param healthyRate the error rate expected when healthy (p0), used to size the horizon
     * @param minimumEffect the smallest canary/baseline ratio that must be caught, e.g. 2 or 10
     * @param horizonRequests canary requests after which no rejection means Pass; 0 sizes it from the
     *     exact fixed-horizon test (see {@link ErrorRatioJudge})
     */
    record ErrorRatio(String name, PromQlTemplate canaryErrors, PromQlTemplate canaryRequests,
                      PromQlTemplate baselineErrors, PromQlTemplate baselineRequests, double healthyRate,
                      double minimumEffect, long horizonRequests) implements MetricSpec {
        public ErrorRatio {
            requireName(name);
            requireNonNull(name, "canaryErrors", canaryErrors);
            requireNonNull(name, "canaryRequests", canaryRequests);
            requireNonNull(name, "baselineErrors", baselineErrors);
            requireNonNull(name, "baselineRequests", baselineRequests);
            if (!(healthyRate > 0 && healthyRate < 1)) {
                throw new IllegalArgumentException("metric " + name + ": healthyRate must be strictly between 0 and 1, got " + healthyRate);
            }
            if (!(minimumEffect > 1) || !(healthyRate * minimumEffect < 1)) {
                throw new IllegalArgumentException("metric " + name + ": minimumEffect must be above 1 with healthyRate * minimumEffect < 1, got "
                        + minimumEffect);
            }
            if (horizonRequests < 0) {
                throw new IllegalArgumentException("metric " + name + ": horizonRequests must be >= 0 (0 = sized), got " + horizonRequests);
            }
        }

        @Override
        public List<PromQlTemplate> queries() {
            return List.of(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
        }

        public ErrorRatioJudge judge(double alpha) {
            return horizonRequests == 0
                    ? new ErrorRatioJudge(alpha, healthyRate, minimumEffect)
                    : new ErrorRatioJudge(alpha, healthyRate, minimumEffect, horizonRequests);
        }
    }

    /**
     * Canary vs baseline samples over a window (range queries), Kayenta-style Mann-Whitney with a
     * direction and effect sizes. A {@code critical} comparison that fails beyond its critical effect
     * size fails the gate at once, whatever the failure budget (Kayenta's {@code critical: true}).
     */
    record Comparison(String name, PromQlTemplate canary, PromQlTemplate baseline, MannWhitneyJudge judge,
                      boolean critical) implements MetricSpec {
        public Comparison {
            requireName(name);
            requireNonNull(name, "canary", canary);
            requireNonNull(name, "baseline", baseline);
            requireNonNull(name, "judge", judge);
        }

        /** A comparison that is not critical. */
        public Comparison(String name, PromQlTemplate canary, PromQlTemplate baseline, MannWhitneyJudge judge) {
            this(name, canary, baseline, judge, false);
        }

        @Override
        public List<PromQlTemplate> queries() {
            return List.of(canary, baseline);
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(ch -> ch < 0x20)) {
            throw new IllegalArgumentException("metric name must be 1..100 printable characters, got "
                    + (name == null ? "null" : "\"" + name.replaceAll("\\p{Cntrl}", "?") + "\""));
        }
    }

    private static void requireNonNull(String metric, String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("metric " + metric + ": " + field + " must be given, got null");
        }
    }
}
