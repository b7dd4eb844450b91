package dev.rollbackdeploy.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.gate.Measurement;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the {@code data} of a successful answer into a {@link Measurement}. Anything that could be
 * mistaken for health but is not a single finite fresh number becomes NoData; anything that is not
 * the shape the Prometheus API documents becomes Failed.
 */
final class ResultReader {

    private final Clock clock;
    private final Duration stalenessLimit;

    ResultReader(Clock clock, Duration stalenessLimit) {
        this.clock = clock;
        this.stalenessLimit = stalenessLimit;
    }

    Measurement instant(String query, JsonNode data) {
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        switch (type) {
            case "vector":
                if (!result.isArray()) {
                    return malformed(query, "vector result is not an array");
                }
                if (result.isEmpty()) {
                    return new Measurement.NoData(query, "no series matched (empty vector): check the label"
                            + " values and that the workload receives traffic");
                }
                if (result.size() > 1) {
                    return several(query, result);
                }
                return sample(query, result.get(0).path("value"));
            case "scalar":
                return sample(query, result);
            case "matrix":
                return new Measurement.Failed(query, "wrong result type matrix for an instant query:"
                        + " wrap the range selector in rate(), increase() or *_over_time()");
            case "string":
                return new Measurement.Failed(query, "the query gives a string, not a number");
            default:
                return malformed(query, "unknown resultType \"" + type + "\"");
        }
    }

    Measurement range(String query, Instant end, Duration step, JsonNode data) {
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        if (!"matrix".equals(type)) {
            return new Measurement.Failed(query, "wrong result type \"" + type + "\" for a range query,"
                    + " expected matrix");
        }
        if (!result.isArray()) {
            return malformed(query, "matrix result is not an array");
        }
        if (result.isEmpty()) {
            return new Measurement.NoData(query, "no series matched in the range (empty matrix)");
        }
        if (result.size() > 1) {
            return several(query, result);
        }
        JsonNode series = result.get(0);
        List<Measurement.Point> points = new ArrayList<>();
        int dropped = 0;
        for (JsonNode pair : series.path("values")) {
            Instant time = timeOf(pair);
            if (time == null || !pair.get(1).isTextual()) {
                return malformed(query, "a matrix point is not [unixSeconds, \"value\"]: " + pair);
            }
            Double value = parseValue(pair.get(1).asText());
            if (value == null) {
                return new Measurement.Failed(query, "a matrix point value is not a number: " + pair.get(1));
            }
            if (Double.isFinite(value)) {
                points.add(new Measurement.Point(time, value));
            } else {
                dropped++; // A gap (0/0 in a quiet step) is not a point a gate may compute with.
            }
        }
        if (points.isEmpty()) {
            return new Measurement.NoData(query, "none of the " + dropped + " points is finite (NaN or ±Inf)");
        }
        Instant newest = points.get(points.size() - 1).time();
        Instant reference = end.isBefore(clock.instant()) ? end : clock.instant();
        Duration allowed = step.compareTo(stalenessLimit) > 0 ? step : stalenessLimit;
        if (Duration.between(newest, reference).compareTo(allowed) > 0) {
            return new Measurement.NoData(query, "the series stops at " + newest + ", " + ageOf(newest, reference)
                    + " before the end of the range, more than the staleness limit " + allowed);
        }
        return new Measurement.Series(query, labels(series.path("metric")), points);
    }

    private Measurement sample(String query, JsonNode pair) {
        Instant time = timeOf(pair);
        if (time == null || !pair.get(1).isTextual()) {
            return malformed(query, "a sample is not [unixSeconds, \"value\"]: " + pair);
        }
        String text = pair.get(1).asText();
        Double value = parseValue(text);
        if (value == null) {
            return new Measurement.Failed(query, "the sample value \"" + abbreviate(text) + "\" is not a number");
        }
        if (value.isNaN()) {
            return new Measurement.NoData(query, "the value is NaN, e.g. 0/0 when nothing happened in the"
                    + " window: widen the window or check that the workload receives traffic");
        }
        if (value.isInfinite()) {
            return new Measurement.NoData(query, "the value is " + text + ", a division by zero:"
                    + " the denominator of the ratio had no samples");
        }
        Instant now = clock.instant();
        if (Duration.between(time, now).compareTo(stalenessLimit) > 0) {
            return new Measurement.NoData(query, "the sample at " + time + " is " + ageOf(time, now)
                    + " old, older than the staleness limit " + stalenessLimit + " (2 x scrape interval)");
        }
        return new Measurement.Value(query, value, time);
    }

    private static Measurement several(String query, JsonNode result) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(3, result.size()); i++) {
            shown.add(labels(result.get(i).path("metric")).toString());
        }
        return new Measurement.NoData(query, result.size() + " series where one is expected (" + String.join(", ",
                shown) + (result.size() > 3 ? ", …" : "") + "): aggregate with sum()/avg() or narrow the labels");
    }

    private static Measurement malformed(String query, String what) {
        return new Measurement.Failed(query, "the answer does not have the documented shape: " + abbreviate(what));
    }

    /** Prometheus formats values with Go's strconv: "NaN", "+Inf", "-Inf", or a decimal/exponent number. */
    static Double parseValue(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    // Java would also accept "Infinity", hex floats and a trailing "d": none are Prometheus.
                    return text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") ? Double.valueOf(text) : null;
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private static Instant timeOf(JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            return null;
        }
        BigDecimal seconds = pair.get(0).decimalValue();
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> out = new TreeMap<>();
        metric.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String ageOf(Instant then, Instant now) {
        return Duration.between(then, now).toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
