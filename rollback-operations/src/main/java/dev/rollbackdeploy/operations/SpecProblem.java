package dev.rollbackdeploy.operations;

/**
 * One thing wrong with a deployment spec: the field (its path, e.g. {@code gate.healthyErrorRate}),
 * the value as given (null when missing or not worth quoting), what would be right, worded to
 * follow the field, and an optional hint: {@code gate.healthyErrorRate must be a number strictly between 0 and 1, e.g. 0.01, got 'abc'}.
 */
public record SpecProblem(String field, String value, String expected, String hint) {

    public SpecProblem(String field, String value, String expected) {
        this(field, value, expected, null);
    }

    public String message() {
        return field + " " + expected + (value == null ? "" : ", got '" + value + "'") + (hint == null ? "" : " (" + hint + ")");
    }

    @Override
    public String toString() {
        return message();
    }
}
