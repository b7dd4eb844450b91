package dev.rollbackdeploy.gate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a gate remembers between looks. Small and made of primitives: {@link #toMap()} gives strings
 * and numbers only, so a Jenkins step can persist it in a plain field and read it back with
 * {@link #fromMap(Map)} after a controller restart.
 *
 * @param firstFailureAt when a metric first failed, or null; kept, never refreshed
 * @param errorRatios per error-ratio metric, the sequential test's carried state
 */
public record GateState(Instant startedAt, int looks, int failures, int inconclusives, int consecutiveErrors,
                        Instant firstFailureAt, boolean finished, Map<String, ErrorRatioState> errorRatios) {

    private static final String RATIO = "errorRatio/";

    public GateState {
        if (startedAt == null) {
            throw new IllegalArgumentException("startedAt must be given, got null");
        }
        if (looks < 0 || failures < 0 || inconclusives < 0 || consecutiveErrors < 0) {
            throw new IllegalArgumentException("counters must not be negative, got looks=" + looks + ", failures="
                    + failures + ", inconclusives=" + inconclusives + ", consecutiveErrors=" + consecutiveErrors);
        }
        errorRatios = Map.copyOf(errorRatios);
    }

    public static GateState start(Instant now) {
        return new GateState(now, 0, 0, 0, 0, null, false, Map.of());
    }

    public ErrorRatioState errorRatio(String metric) {
        return errorRatios.getOrDefault(metric, ErrorRatioState.START);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new TreeMap<>();
        map.put("startedAt", startedAt.toString());
        map.put("looks", looks);
        map.put("failures", failures);
        map.put("inconclusives", inconclusives);
        map.put("consecutiveErrors", consecutiveErrors);
        if (firstFailureAt != null) {
            map.put("firstFailureAt", firstFailureAt.toString());
        }
        map.put("finished", finished);
        errorRatios.forEach((name, s) -> {
            String prefix = RATIO + name + "/";
            map.put(prefix + "closedLogE", s.closedLogE());
            map.put(prefix + "segments", s.segments());
            putCounts(map, prefix + "start.", s.segmentStart());
            putCounts(map, prefix + "last.", s.last());
        });
        return map;
    }

    public static GateState fromMap(Map<String, ?> map) {
        Map<String, Map<String, Object>> ratios = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (key.startsWith(RATIO)) {
                int cut = key.lastIndexOf('/');
                ratios.computeIfAbsent(key.substring(RATIO.length(), cut), k -> new LinkedHashMap<>())
                        .put(key.substring(cut + 1), value);
            }
        });
        Map<String, ErrorRatioState> errorRatios = new LinkedHashMap<>();
        ratios.forEach((name, fields) -> errorRatios.put(name, new ErrorRatioState(
                number(fields, "closedLogE").doubleValue(), counts(fields, "start."), counts(fields, "last."),
                number(fields, "segments").intValue())));
        Object firstFailure = map.get("firstFailureAt");
        return new GateState(Instant.parse(string(map, "startedAt")), number(map, "looks").intValue(),
                number(map, "failures").intValue(), number(map, "inconclusives").intValue(),
                number(map, "consecutiveErrors").intValue(),
                firstFailure == null ? null : Instant.parse(firstFailure.toString()),
                Boolean.parseBoolean(String.valueOf(map.get("finished"))), errorRatios);
    }

    private static void putCounts(Map<String, Object> map, String prefix, ErrorCounts c) {
        map.put(prefix + "canaryErrors", c.canaryErrors());
        map.put(prefix + "canaryRequests", c.canaryRequests());
        map.put(prefix + "baselineErrors", c.baselineErrors());
        map.put(prefix + "baselineRequests", c.baselineRequests());
    }

    private static ErrorCounts counts(Map<String, Object> fields, String prefix) {
        return new ErrorCounts(number(fields, prefix + "canaryErrors").longValue(),
                number(fields, prefix + "canaryRequests").longValue(),
                number(fields, prefix + "baselineErrors").longValue(),
                number(fields, prefix + "baselineRequests").longValue());
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gate state field " + key + " must be a number, got \"" + s + "\"", e);
            }
        }
        throw new IllegalArgumentException("gate state field " + key + " must be a number, got " + value);
    }

    private static String string(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("gate state field " + key + " is missing");
        }
        return value.toString();
    }
}
