package dev.rollbackdeploy.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code KEY=value} lines, as {@code bin/start-jenkins} writes its {@code bundle.env} and as a shell can
 * {@code source}: how the demo's processes tell each other (and demo.sh) their endpoints. Written
 * atomically, so a reader never sees half a file.
 */
public final class EnvFile {

    private EnvFile() {
    }

    /** Keys and values in file order; blank lines and {@code #} comments are skipped. */
    public static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            int eq = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (eq <= 0) {
                throw new IllegalArgumentException("an env line must be KEY=value, got '" + trimmed + "'");
            }
            values.put(trimmed.substring(0, eq).strip(), unquote(trimmed.substring(eq + 1).strip()));
        }
        return values;
    }

    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Values are single-quoted (a shell reads them verbatim); a value must not hold a quote or newline. */
    public static String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> {
            if (!key.matches("[A-Z][A-Z0-9_]*")) {
                throw new IllegalArgumentException("env key must be [A-Z][A-Z0-9_]*, got '" + key + "'");
            }
            if (value.contains("'") || value.contains("\n")) {
                throw new IllegalArgumentException("env value of " + key + " must not hold a quote or newline, got '"
                        + value + "'");
            }
            out.append(key).append("='").append(value).append("'\n");
        });
        return out.toString();
    }

    public static void write(Path file, Map<String, String> values) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, render(values), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
