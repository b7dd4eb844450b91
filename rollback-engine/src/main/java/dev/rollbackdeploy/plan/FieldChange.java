package dev.rollbackdeploy.plan;

/**
 * One field that differs between live and target, for people to read.
 *
 * @param path   dotted path; list items that carry a {@code name} are written {@code containers[web]}
 * @param before the live value as compact JSON, or null when the field is absent live
 * @param after  the target value as compact JSON, or null when the target does not have it
 * @param note   "" or what a reader needs to read the values, e.g. where two long texts, shown in
 *               part, first differ
 */
public record FieldChange(String path, String before, String after, String note) {

    public FieldChange {
        note = note == null ? "" : note;
    }

    public FieldChange(String path, String before, String after) {
        this(path, before, after, "");
    }

    @Override
    public String toString() {
        String suffix = note.isEmpty() ? "" : " (" + note + ")";
        if (before == null) {
            return path + ": (absent) -> " + after + suffix;
        }
        if (after == null) {
            return path + ": " + before + " -> (removed)" + suffix;
        }
        return path + ": " + before + " -> " + after + suffix;
    }
}
