package dev.rollbackdeploy.record;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The strategy a build used and its parameters as given (e.g. {@code steps=10,50,100}). */
public record StrategySpec(StrategyKind kind, Map<String, String> parameters) {

    public StrategySpec {
        if (kind == null) {
            throw new IllegalArgumentException("strategy must be one of CANARY, BLUE_GREEN, FEATURE_FLAG, IMMUTABLE, "
                    + "got null");
        }
        if (parameters == null) {
            throw new IllegalArgumentException("strategy parameters must not be null (use an empty map)");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            Checks.name("strategy parameter name", entry.getKey(), 100);
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("strategy parameter '" + entry.getKey() + "' must have a value, got null");
            }
            sorted.put(entry.getKey(), entry.getValue());
        }
        parameters = Collections.unmodifiableMap(sorted);
    }
}
