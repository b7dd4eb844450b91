package dev.rollbackdeploy.gate;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one metric showed at one look: the queries as sent, the numbers read, the statistic and the
 * bound it was held against, and the verdict. A plain value: {@link #toMap()} gives only strings,
 * numbers and lists, so a record store can write it as JSON (Jackson maps it as is) and read it back
 * with {@link #fromMap(Map)}.
 *
 * @param values named inputs, e.g. {@code canaryErrors}, {@code canaryRequests}, {@code canaryShare}
 * @param statistic name of the statistic, e.g. {@code "log e-value"}, {@code "U"}, {@code "value"}
 * @param statisticValue its value at this look (NaN when there was nothing to compute)
 * @param bound what it was compared with (NaN when not applicable)
 */
public record Evidence(String metric, Instant at, List<String> queries, Map<String, Double> values,
                       String statistic, double statisticValue, double bound, Verdict verdict) {

    public Evidence {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("evidence needs a metric name, got " + metric);
        }
        if (at == null || verdict == null || statistic == null) {
            throw new IllegalArgumentException("evidence for " + metric + " needs time, statistic and verdict");
        }
        queries = List.copyOf(queries);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Evidence for a metric whose inputs could not be read or used. */
    public static Evidence withoutStatistic(String metric, Instant at, List<String> queries, Verdict verdict) {
        return new Evidence(metric, at, queries, Map.of(), "none", Double.NaN, Double.NaN, verdict);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("metric", metric);
        map.put("at", at.toString());
        map.put("queries", queries);
        map.put("values", new LinkedHashMap<>(values));
        map.put("statistic", statistic);
        map.put("statisticValue", jsonNumber(statisticValue));
        map.put("bound", jsonNumber(bound));
        map.put("verdict", verdict.kind());
        map.put("reason", verdict.reason());
        return map;
    }

    @SuppressWarnings("unchecked")
    public static Evidence fromMap(Map<String, ?> map) {
        Map<String, Double> values = new LinkedHashMap<>();
        ((Map<String, ?>) map.get("values")).forEach((k, v) -> values.put(k, number(v)));
        return new Evidence((String) map.get("metric"), Instant.parse((String) map.get("at")),
                (List<String>) map.get("queries"), values, (String) map.get("statistic"),
                number(map.get("statisticValue")), number(map.get("bound")),
                Verdict.of((String) map.get("verdict"), (String) map.get("reason")));
    }

    // JSON has no NaN or infinity: they travel as strings and come back as doubles.
    private static Object jsonNumber(double value) {
        return Double.isFinite(value) ? (Object) value : Double.toString(value);
    }

    private static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            return Double.parseDouble(s);
        }
        throw new IllegalArgumentException("evidence number must be a number or string, got " + value);
    }
}
