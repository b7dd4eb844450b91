package dev.rollbackdeploy.gate;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL query with {@code ${name}} placeholders ({@code ${canary}}, {@code ${baseline}},
 * {@code ${namespace}}, {@code ${interval}}, ...). Values are substituted only after validation against
 * a strict charset, so a value can never close a label matcher's quotes or braces and add its own
 * selectors: {@code canary"} , {@code x"} or {@code foo"}or{@code vector(1)} are rejected with the
 * placeholder and the value named. Duration placeholders ({@code interval}, {@code elapsed},
 * {@code step}, {@code window}) must be PromQL durations such as {@code 30s} or {@code 1h30m}.
 */
public record PromQlTemplate(String template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** Label-value safe: no quotes, backslashes, braces, commas, operators, spaces or control characters. */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._:/-]{1,253}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9}(ms|s|m|h|d|w|y)){1,6}");
    private static final Set<String> DURATION_NAMES = Set.of("interval", "elapsed", "step", "window");

    public PromQlTemplate {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("query template must not be blank, got "
                    + (template == null ? "null" : "\"" + template + "\""));
        }
        if (template.contains("${") && placeholdersOf(template).isEmpty()) {
            throw new IllegalArgumentException("query template has an unclosed placeholder: " + template);
        }
        for (String name : placeholdersOf(template)) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("placeholder name must match " + NAME.pattern() + ", got \"${"
                        + name + "}\" in " + template);
            }
        }
    }

    /** Placeholder names in order of first use. */
    public Set<String> placeholders() {
        return placeholdersOf(template);
    }

    /** The query with every placeholder replaced; throws naming the first missing or unsafe value. */
    public String render(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("placeholder ${" + name + "} has no value; known: "
                        + new TreeSet<>(values.keySet()));
            }
            checkValue(name, value);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Rejects a value that is not safe for the placeholder {@code name}. */
    public static void checkValue(String name, String value) {
        if (DURATION_NAMES.contains(name)) {
            if (!DURATION.matcher(value).matches()) {
                throw new IllegalArgumentException("placeholder ${" + name + "} must be a PromQL duration like 30s or 1h30m, got "
                        + quote(value));
            }
            return;
        }
        if (!SAFE_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("placeholder ${" + name + "} value " + quote(value)
                    + " is not allowed: use 1 to 253 letters, digits and . _ - : / (no quotes, braces, commas, spaces)");
        }
    }

    private static Set<String> placeholdersOf(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    // Shows the bad value with control characters visible, so the message itself cannot be forged.
    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        for (char ch : shown.toCharArray()) {
            if (ch < 0x20 || ch == 0x7f) {
                out.append(String.format("\\u%04x", (int) ch));
            } else if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }
}
