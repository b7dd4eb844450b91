package dev.rollbackdeploy.plan;

/**
 * One field that differs between live and target, for people to read.
 *
 * @param path   dotted path; list items that carry a {@code name} are written {@code containers[web]}
 * @param before the live value as compact JSON, or null when the field is absent live
 * @param after  the target value as compact JSON, or null when the target does not have it
 */
public record FieldChange(String path, String before, String after) {

    @Override
    public String toString() {
        if (before == null) {
            return path + ": (absent) -> " + after;
        }
        if (after == null) {
            return path + ": " + before + " -> (removed)";
        }
        return path + ": " + before + " -> " + after;
    }
}
