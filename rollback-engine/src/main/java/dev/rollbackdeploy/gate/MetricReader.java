package dev.rollbackdeploy.gate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one metric's measurements into a verdict and its evidence. Measurement problems come first:
 * any {@link Measurement.Failed} is an Error, any {@link Measurement.NoData} is NoData, so neither
 * can reach a judge that might call it healthy.
 */
final class MetricReader {

    /**
     * Verdict, evidence, and (for error ratios) the sequential state for the next look.
     * {@code failsAtOnce}: a crossed guardrail or a critical comparison's critical failure.
     */
    record Reading(Verdict verdict, Evidence evidence, ErrorRatioState ratioState, boolean failsAtOnce) {
        Reading(Verdict verdict, Evidence evidence, ErrorRatioState ratioState) {
            this(verdict, evidence, ratioState, false);
        }
    }

    private final GateSpec spec;
    private final Instant now;

    MetricReader(GateSpec spec, Instant now) {
        this.spec = spec;
        this.now = now;
    }

    Reading read(MetricSpec metric, List<Measurement> measured, ErrorRatioState ratioState) {
        List<String> queries = measured == null ? List.of() : measured.stream().map(Measurement::query).toList();
        int expected = metric.queries().size();
        if (measured == null || measured.size() != expected) {
            return bare(metric, queries, new Verdict.Error("expected " + expected + " measurements, got "
                    + (measured == null ? "none" : measured.size())), ratioState);
        }
        for (Measurement m : measured) {
            if (m instanceof Measurement.Failed failed) {
                return bare(metric, queries, new Verdict.Error("query failed: " + failed.reason()), ratioState);
            }
        }
        for (Measurement m : measured) {
            if (m instanceof Measurement.NoData none) {
                return bare(metric, queries, new Verdict.NoData("no data: " + none.reason()), ratioState);
            }
        }
        if (metric instanceof MetricSpec.Threshold threshold) {
            return threshold(threshold, measured.get(0), queries, ratioState);
        } else if (metric instanceof MetricSpec.ErrorRatio ratio) {
            return errorRatio(ratio, measured, queries, ratioState);
        } else if (metric instanceof MetricSpec.Comparison comparison) {
            return comparison(comparison, measured, queries, ratioState);
        }
        throw new AssertionError(metric);
    }

    private Reading threshold(MetricSpec.Threshold metric, Measurement m, List<String> queries, ErrorRatioState s) {
        if (!(m instanceof Measurement.Value value)) {
            return bare(metric, queries, new Verdict.NoData("expected one value, got a series"), s);
        }
        Verdict verdict = metric.judge().judge(value.value());
        double bound = Double.isNaN(metric.judge().max()) ? metric.judge().min() : metric.judge().max();
        return new Reading(verdict, new Evidence(metric.name(), now, queries, Map.of("value", value.value()),
                "value", value.value(), bound, verdict), s, verdict instanceof Verdict.Fail && metric.judge().guardrail());
    }

    private Reading errorRatio(MetricSpec.ErrorRatio metric, List<Measurement> measured, List<String> queries,
                               ErrorRatioState s) {
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!(measured.get(i) instanceof Measurement.Value value)) {
                return bare(metric, queries, new Verdict.NoData("expected cumulative counts as single values, got a series"), s);
            }
            if (value.value() < 0) {
                return bare(metric, queries, new Verdict.NoData("a count cannot be negative, got " + value.value()), s);
            }
            v[i] = value.value();
        }
        ErrorRatioJudge judge = metric.judge(spec.metricAlpha());
        ErrorRatioJudge.Result result = judge.judge(s, ErrorCounts.fromMeasured(v[0], v[1], v[2], v[3]));
        return new Reading(result.verdict(), new Evidence(metric.name(), now, queries, result.values(),
                "log e-value", result.logE(), judge.threshold(), result.verdict()), result.state());
    }

    private Reading comparison(MetricSpec.Comparison metric, List<Measurement> measured, List<String> queries,
                               ErrorRatioState s) {
        double[] canary = samples(measured.get(0));
        double[] baseline = samples(measured.get(1));
        MannWhitneyJudge judge = spec.comparisonJudge(metric);
        MannWhitneyJudge.Result result = judge.judge(canary, baseline);
        Map<String, Double> values = Map.of("canarySamples", (double) canary.length,
                "baselineSamples", (double) baseline.length, "canaryMean", result.canaryMean(),
                "baselineMean", result.baselineMean(), "meanRatio", result.meanRatio(), "pValue", result.pValue());
        return new Reading(result.verdict(), new Evidence(metric.name(), now, queries, new TreeMap<>(values),
                "U", result.u(), 1 - judge.confidence(), result.verdict()), s, metric.critical() && result.critical());
    }

    private static double[] samples(Measurement m) {
        if (m instanceof Measurement.Series series) {
            return series.points().stream().mapToDouble(Measurement.Point::value).toArray();
        } else if (m instanceof Measurement.Value value) {
            return new double[] {value.value()};
        }
        return new double[0];
    }

    private Reading bare(MetricSpec metric, List<String> queries, Verdict verdict, ErrorRatioState s) {
        return new Reading(verdict, Evidence.withoutStatistic(metric.name(), now, queries, verdict), s);
    }
}
