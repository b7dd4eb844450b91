package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a gate from plain maps and lists (YAML or JSON as a parser gives them), with the vocabulary
 * users of Kayenta expect for comparisons: {@code direction}, {@code effectSize} and {@code critical}.
 * Every error names the field's path, the value, and what would be right; unknown fields are refused
 * rather than ignored. Example (docs/gates.md):
 *
 * <pre>
 * interval: 10s
 * maxDuration: 10m
 * metrics:
 *   - name: latency
 *     kind: comparison
 *     canary: 'histogram_quantile(0.99, ...{pod=~"${canary}.*"}...)'
 *     baseline: 'histogram_quantile(0.99, ...{pod=~"${baseline}.*"}...)'
 *     direction: increase
 *     effectSize: {allowedIncrease: 1.2, criticalIncrease: 2}
 *     critical: true
 * </pre>
 */
final class GateSpecReader {

    private static final Set<String> GATE = Set.of("metrics", "interval", "maxDuration", "failureLimit",
            "inconclusiveLimit", "consecutiveErrorLimit", "alpha", "onInconclusive");
    private static final Set<String> THRESHOLD = Set.of("name", "kind", "query", "min", "max", "guardrail");
    private static final Set<String> RATIO = Set.of("name", "kind", "canaryErrors", "canaryRequests", "baselineErrors",
            "baselineRequests", "healthyErrorRate", "minimumEffect", "horizonRequests");
    private static final Set<String> COMPARISON = Set.of("name", "kind", "canary", "baseline", "direction", "confidence",
            "minSamples", "effectSize", "critical");
    private static final Set<String> EFFECT = Set.of("allowedIncrease", "allowedDecrease", "criticalIncrease",
            "criticalDecrease");

    private GateSpecReader() {
    }

    static GateSpec gate(Map<String, ?> map, String path) {
        known(map, GATE, path);
        Object list = map.get("metrics");
        if (!(list instanceof List<?> items) || items.isEmpty()) {
            throw new IllegalArgumentException(path + ".metrics must be a non-empty list of metrics, got " + show(list));
        }
        List<MetricSpec> metrics = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            metrics.add(metric(map(items.get(i), path + ".metrics[" + i + "]"), path + ".metrics[" + i + "]"));
        }
        String policy = text(map, "onInconclusive", path, "rollback");
        GateSpec.InconclusivePolicy onInconclusive = switch (policy) {
            case "rollback" -> GateSpec.InconclusivePolicy.ROLLBACK;
            case "hold" -> GateSpec.InconclusivePolicy.HOLD;
            default -> throw new IllegalArgumentException(path + ".onInconclusive must be rollback or hold, got '" + policy + "'");
        };
        return at(path, () -> new GateSpec(metrics, duration(map, "interval", path, "10s"),
                duration(map, "maxDuration", path, "10m"), integer(map, "failureLimit", path, 0),
                integer(map, "inconclusiveLimit", path, 3), integer(map, "consecutiveErrorLimit", path, 4),
                number(map, "alpha", path, GateSpec.MAX_ALPHA), onInconclusive));
    }

    static MetricSpec metric(Map<String, ?> map, String path) {
        String kind = text(map, "kind", path, null);
        String name = text(map, "name", path, null);
        String where = path + " (" + name + ")";
        return switch (kind) {
            case "threshold" -> {
                known(map, THRESHOLD, path);
                yield at(where, () -> new MetricSpec.Threshold(name, query(map, "query", path),
                        new ThresholdJudge(number(map, "min", path, Double.NaN), number(map, "max", path, Double.NaN),
                                bool(map, "guardrail", path, false))));
            }
            case "errorRatio" -> {
                known(map, RATIO, path);
                yield at(where, () -> new MetricSpec.ErrorRatio(name, query(map, "canaryErrors", path),
                        query(map, "canaryRequests", path), query(map, "baselineErrors", path),
                        query(map, "baselineRequests", path), number(map, "healthyErrorRate", path, 0.01),
                        number(map, "minimumEffect", path, 10), integer(map, "horizonRequests", path, 0)));
            }
            case "comparison" -> {
                known(map, COMPARISON, path);
                yield at(where, () -> new MetricSpec.Comparison(name, query(map, "canary", path),
                        query(map, "baseline", path), new MannWhitneyJudge(number(map, "confidence", path, 0.98),
                                direction(map, path), effect(map, path), integer(map, "minSamples", path, 10)),
                        bool(map, "critical", path, false)));
            }
            default -> throw new IllegalArgumentException(path + ".kind must be threshold, errorRatio or comparison, got '"
                    + kind + "'");
        };
    }

    private static MannWhitneyJudge.Direction direction(Map<String, ?> map, String path) {
        String value = text(map, "direction", path, "increase");
        return switch (value) {
            case "increase" -> MannWhitneyJudge.Direction.INCREASE;
            case "decrease" -> MannWhitneyJudge.Direction.DECREASE;
            case "either" -> MannWhitneyJudge.Direction.EITHER;
            default -> throw new IllegalArgumentException(path + ".direction must be increase, decrease or either, got '"
                    + value + "'");
        };
    }

    /** Defaults: 25% either way (Kayenta's tolerance); critical bounds default to the allowed ones. */
    private static EffectSize effect(Map<String, ?> map, String path) {
        if (map.get("effectSize") == null) {
            return EffectSize.tolerance(0.25);
        }
        String here = path + ".effectSize";
        Map<String, ?> effect = map(map.get("effectSize"), here);
        known(effect, EFFECT, here);
        double increase = number(effect, "allowedIncrease", here, 1.25);
        double decrease = number(effect, "allowedDecrease", here, 0.8);
        return at(here, () -> new EffectSize(increase, decrease, number(effect, "criticalIncrease", here, increase),
                number(effect, "criticalDecrease", here, decrease)));
    }

    private interface Build<T> {
        T build();
    }

    /** Runs a constructor and puts the path in front of what it refused. */
    private static <T> T at(String path, Build<T> build) {
        try {
            return build.build();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(path.split(" ")[0])) {
                throw e;
            }
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static void known(Map<String, ?> map, Set<String> fields, String path) {
        for (String key : map.keySet()) {
            if (!fields.contains(key)) {
                throw new IllegalArgumentException(path + "." + key + " is not a field here; known: " + new TreeSet<>(fields));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(Object value, String path) {
        if (!(value instanceof Map<?, ?> m) || m.keySet().stream().anyMatch(k -> !(k instanceof String))) {
            throw new IllegalArgumentException(path + " must be a map of fields, got " + show(value));
        }
        return (Map<String, ?>) m;
    }

    private static String text(Map<String, ?> map, String field, String path, String fallback) {
        Object value = map.get(field);
        if (value == null && fallback != null) {
            return fallback;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(path + "." + field + " must be given as text, got " + show(value));
        }
        return s;
    }

    private static PromQlTemplate query(Map<String, ?> map, String field, String path) {
        return new PromQlTemplate(text(map, field, path, null));
    }

    private static double number(Map<String, ?> map, String field, String path, double fallback) {
        Object value = map.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException(path + "." + field + " must be a finite number, got " + show(value));
        }
        return n.doubleValue();
    }

    private static int integer(Map<String, ?> map, String field, String path, int fallback) {
        Object value = map.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() != ((Number) value).intValue()) {
            throw new IllegalArgumentException(path + "." + field + " must be a whole number, got " + show(value));
        }
        return ((Number) value).intValue();
    }

    private static boolean bool(Map<String, ?> map, String field, String path, boolean fallback) {
        Object value = map.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException(path + "." + field + " must be true or false, got " + show(value));
        }
        return b;
    }

    /** A duration written like 10s, 2m or 1h30m. */
    private static Duration duration(Map<String, ?> map, String field, String path, String fallback) {
        Object value = map.get(field);
        String text = value == null ? fallback : value.toString();
        try {
            if (!(value == null || value instanceof String)) {
                throw new DateTimeParseException("not text", text, 0);
            }
            return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + "." + field + " must be a duration like 30s, 2m or 1h30m, got "
                    + show(value), e);
        }
    }

    private static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
