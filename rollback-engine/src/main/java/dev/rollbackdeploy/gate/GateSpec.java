package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A metrics gate: named metrics, how often to look, how long at most, and the budgets.
 *
 * <p><b>Alpha.</b> {@code alpha} is the false-rollback probability for the whole rollout, over all
 * looks and all metrics, at most 1%. It is split evenly (Bonferroni) over the metrics that spend it
 * (error ratios and comparisons; thresholds are fixed rules). An error ratio keeps its share over any
 * number of looks (e-process). A comparison is a fixed-sample test per window, so its share is further
 * divided by the number of looks {@code maxDuration / interval}.
 *
 * <p><b>Budgets</b> (Argo Rollouts' model): more than {@code failureLimit} looks with a failed metric
 * roll back; more than {@code consecutiveErrorLimit} looks in a row with a measurement error roll back
 * (the safe side); more than {@code inconclusiveLimit} inconclusive or no-data looks, or reaching
 * {@code maxDuration} without every metric passing, end as {@code onInconclusive} says.
 */
public record GateSpec(List<MetricSpec> metrics, Duration interval, Duration maxDuration, int failureLimit,
                       int inconclusiveLimit, int consecutiveErrorLimit, double alpha,
                       InconclusivePolicy onInconclusive) {

    public static final double MAX_ALPHA = 0.01;

    /** What to do when evidence runs out: roll back (default, the safe side) or wait for a person. */
    public enum InconclusivePolicy { ROLLBACK, HOLD }

    public GateSpec {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("a gate needs at least one metric, got none");
        }
        metrics = List.copyOf(metrics);
        Set<String> names = new HashSet<>();
        for (MetricSpec metric : metrics) {
            if (!names.add(metric.name())) {
                throw new IllegalArgumentException("metric names must be unique, got \"" + metric.name() + "\" twice");
            }
        }
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("interval must be at least 1s, got " + interval);
        }
        if (maxDuration == null || maxDuration.compareTo(interval) < 0) {
            throw new IllegalArgumentException("maxDuration must be at least the interval " + interval + ", got " + maxDuration);
        }
        requireLimit("failureLimit", failureLimit);
        requireLimit("inconclusiveLimit", inconclusiveLimit);
        requireLimit("consecutiveErrorLimit", consecutiveErrorLimit);
        if (!(alpha > 0 && alpha <= MAX_ALPHA)) {
            throw new IllegalArgumentException("alpha must be in (0, " + MAX_ALPHA + "] per rollout, got " + alpha);
        }
        if (onInconclusive == null) {
            throw new IllegalArgumentException("onInconclusive must be ROLLBACK or HOLD, got null");
        }
        for (MetricSpec metric : metrics) {
            if (metric instanceof MetricSpec.ErrorRatio ratio) {
                ratio.judge(alpha); // sizes the horizon now, so a bad combination fails at the door
            }
        }
    }

    /** Defaults as Argo's: failureLimit 0, consecutiveErrorLimit 4; inconclusiveLimit 3; alpha 1%. */
    public static GateSpec of(List<MetricSpec> metrics, Duration interval, Duration maxDuration) {
        return new GateSpec(metrics, interval, maxDuration, 0, 3, 4, MAX_ALPHA, InconclusivePolicy.ROLLBACK);
    }

    /**
     * A gate from maps and lists as a YAML or JSON parser gives them (see {@link GateSpecReader} and
     * docs/gates.md); {@code path} names where it sits in the file, e.g. {@code "gate"}.
     *
     * @throws IllegalArgumentException naming the field's path, the value and what would be right
     */
    public static GateSpec fromMap(Map<String, ?> map, String path) {
        return GateSpecReader.gate(map, path);
    }

    public Optional<MetricSpec> metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The alpha one metric may spend (Bonferroni over the metrics that spend it). */
    public double metricAlpha() {
        long spenders = metrics.stream().filter(MetricSpec::spendsAlpha).count();
        return alpha / Math.max(1, spenders);
    }

    /** Looks that fit in the maximum duration. */
    public long maxLooks() {
        return Math.max(1, maxDuration.toMillis() / interval.toMillis());
    }

    /** The comparison judge with its per-window alpha: Kayenta's confidence or stricter. */
    public MannWhitneyJudge comparisonJudge(MetricSpec.Comparison comparison) {
        double perWindow = metricAlpha() / maxLooks();
        double confidence = Math.max(comparison.judge().confidence(), 1 - perWindow);
        return comparison.judge().withConfidence(confidence);
    }

    /** Every metric's queries rendered with {@code values}; fails naming the placeholder and value. */
    public Map<String, List<String>> render(Map<String, String> values) {
        values.forEach(PromQlTemplate::checkValue);
        Map<String, List<String>> rendered = new LinkedHashMap<>();
        for (MetricSpec metric : metrics) {
            rendered.put(metric.name(), metric.queries().stream().map(q -> q.render(values)).toList());
        }
        return rendered;
    }

    private static void requireLimit(String field, int value) {
        if (value < 0 || value > 1000) {
            throw new IllegalArgumentException(field + " must be 0..1000, got " + value);
        }
    }
}
