package dev.rollbackdeploy.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A schema version as Flyway writes it: whole numbers separated by dots ({@code 3}, {@code 2.1.0},
 * {@code 2024.12.01.1}); {@code _} is accepted as a separator, as in Flyway file names. Compared part
 * by part as numbers, trailing zeros ignored ({@code 1.0} equals {@code 1}), as Flyway compares.
 */
public record SchemaVersion(List<Long> parts) implements Comparable<SchemaVersion> {

    private static final Pattern FORMAT = Pattern.compile("[0-9]{1,18}([._][0-9]{1,18}){0,15}");

    public SchemaVersion {
        if (parts == null || parts.isEmpty() || parts.stream().anyMatch(p -> p == null || p < 0)) {
            throw new IllegalArgumentException("schema version needs one or more non-negative numbers, got " + parts);
        }
        List<Long> trimmed = new ArrayList<>(parts);
        while (trimmed.size() > 1 && trimmed.get(trimmed.size() - 1) == 0L) {
            trimmed.remove(trimmed.size() - 1);
        }
        parts = List.copyOf(trimmed);
    }

    /**
     * @param field where the text came from, for the message ({@code schema.ranWith})
     * @throws IllegalArgumentException naming the field and the value when it is not a version
     */
    public static SchemaVersion parse(String field, String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException(field + " must be a schema version: numbers separated by dots, as Flyway "
                    + "writes them (e.g. 3 or 2.1.0), got '" + text + "'");
        }
        List<Long> parts = new ArrayList<>();
        for (String part : text.split("[._]")) {
            parts.add(Long.parseLong(part));
        }
        return new SchemaVersion(parts);
    }

    @Override
    public int compareTo(SchemaVersion other) {
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            long mine = i < parts.size() ? parts.get(i) : 0;
            long theirs = i < other.parts.size() ? other.parts.get(i) : 0;
            if (mine != theirs) {
                return Long.compare(mine, theirs);
            }
        }
        return 0;
    }

    public boolean isAfter(SchemaVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Long part : parts) {
            text.append(text.length() == 0 ? "" : ".").append(part);
        }
        return text.toString();
    }
}
