package dev.rollbackdeploy.operations;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Reads raw spec values field by field, collecting a {@link SpecProblem} for each that is wrong. */
final class SpecValues {

    private final List<SpecProblem> problems = new ArrayList<>();

    void problem(String field, String value, String expected) {
        problems.add(new SpecProblem(field, value, expected));
    }

    void problem(String field, String value, String expected, String hint) {
        problems.add(new SpecProblem(field, value, expected, hint));
    }

    void throwIfAny(String source) throws InvalidSpecException {
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(source, problems);
        }
    }

    /** A required value turned into a type by {@code convert}; its IllegalArgumentException becomes the problem. */
    <T> T convert(String field, Object raw, String expected, Function<String, T> convert) {
        String text = text(field, raw, expected);
        if (text == null) {
            return null;
        }
        try {
            return convert.apply(text);
        } catch (IllegalArgumentException e) {
            problem(field, null, "is wrong: " + e.getMessage());
            return null;
        }
    }

    String text(String field, Object raw, String expected) {
        if (raw == null) {
            problem(field, null, "is missing; " + expected);
            return null;
        }
        if (!(raw instanceof String s) || s.isBlank()) {
            problem(field, String.valueOf(raw), expected);
            return null;
        }
        return s;
    }

    List<String> texts(String field, Object raw, String expected) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            problem(field, raw == null ? null : String.valueOf(raw), raw == null ? "is missing; " + expected : expected);
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.isBlank()) {
                problem(field, String.valueOf(list), expected + " (text only)");
                return null;
            }
            out.add(s);
        }
        return out;
    }

    /** An absolute http(s) URL; {@code required} says whether a missing one is a problem. */
    URI url(String field, Object raw, boolean required) {
        String expected = "must be an http(s) URL like http://127.0.0.1:9090/";
        if (raw == null && !required) {
            problem(field, null, "is missing; must be the build's http(s) URL, e.g. https://ci.example.com/job/shop/42/");
            return null;
        }
        String text = text(field, raw, expected);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                problem(field, text, expected);
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problem(field, text, expected);
            return null;
        }
    }

    /** A duration written like 30s, 2m or 1h30m (ISO-8601 PT30S too); the fallback when absent. */
    Duration duration(String field, Object raw, Duration fallback) {
        if (raw == null) {
            return fallback;
        }
        String text = String.valueOf(raw).trim();
        String iso = text.toUpperCase(Locale.ROOT);
        try {
            Duration value = Duration.parse(iso.startsWith("PT") ? iso : "PT" + iso);
            if (value.isNegative()) {
                problem(field, text, "must not be negative");
                return null;
            }
            return value;
        } catch (DateTimeParseException e) {
            problem(field, text, "must be a duration like 30s, 2m or 1h30m");
            return null;
        }
    }

    /** A number strictly between 0 and 1; NaN when wrong (reported). */
    double fraction(String field, Object raw, double fallback, String meaning) {
        String expected = "must be strictly between 0 and 1";
        if (raw == null) {
            return fallback;
        }
        double value = raw instanceof Number n ? n.doubleValue() : parse(raw);
        if (!(value > 0 && value < 1)) {
            problem(field, String.valueOf(raw), expected, meaning);
            return Double.NaN;
        }
        return value;
    }

    /** A finite number (YAML number or numeric text); NaN when wrong (reported). */
    double number(String field, Object raw, double fallback, String expected) {
        if (raw == null) {
            return fallback;
        }
        double value = raw instanceof Number n ? n.doubleValue() : parse(raw);
        if (!Double.isFinite(value)) {
            problem(field, String.valueOf(raw), expected);
            return Double.NaN;
        }
        return value;
    }

    private static double parse(Object raw) {
        try {
            return Double.parseDouble(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    long whole(String field, Object raw, long fallback, String expected) {
        if (raw == null) {
            return fallback;
        }
        Long value = wholeNumber(raw);
        if (value == null || value < 1) {
            problem(field, String.valueOf(raw), expected);
            return -1;
        }
        return value;
    }

    /** A whole number from a YAML/JSON number or numeric text, or null. */
    static Long wholeNumber(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
        }
        if (raw instanceof String s && s.trim().matches("-?[0-9]{1,15}")) {
            return Long.parseLong(s.trim());
        }
        return null;
    }
}
