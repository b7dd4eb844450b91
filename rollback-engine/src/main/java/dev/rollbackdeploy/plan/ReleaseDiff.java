package dev.rollbackdeploy.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live versus target, for the confirmation page and the CLI: changed images first (what people
 * look for), then every object added, removed or changed with its field-level changes.
 */
public record ReleaseDiff(List<ObjectChange> objects) {

    // ...containers[web].image, initContainers[x].image, ephemeralContainers[y].image
    private static final Pattern CONTAINER_IMAGE = Pattern.compile("(?:^|\\.)(?:initC|ephemeralC|c)ontainers\\[([^\\]]+)\\]\\.image$");

    public ReleaseDiff {
        objects = List.copyOf(objects);
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    /** Image changes of containers present on both sides, derived from the field changes. */
    public List<ImageChange> images() {
        List<ImageChange> images = new ArrayList<>();
        for (ObjectChange change : objects) {
            if (change instanceof ObjectChange.Changed changed) {
                for (FieldChange field : changed.fields()) {
                    Matcher m = CONTAINER_IMAGE.matcher(field.path());
                    if (m.find() && field.before() != null && field.after() != null) {
                        images.add(new ImageChange(changed.key(), m.group(1), unquote(field.before()),
                                unquote(field.after())));
                    }
                }
            }
        }
        return images;
    }

    private static String unquote(String json) {
        return json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }

    /** Plain text, one change a line; "no differences" when live matches. */
    public String render() {
        if (objects.isEmpty()) {
            return "no differences: live matches the target\n";
        }
        StringBuilder out = new StringBuilder();
        List<ImageChange> images = images();
        if (!images.isEmpty()) {
            out.append("Images (live -> target):\n");
            images.forEach(image -> out.append("  ").append(image).append('\n'));
        }
        out.append("Objects:\n");
        for (ObjectChange change : objects) {
            if (change instanceof ObjectChange.Added added) {
                out.append("  + ").append(added.key()).append(" (in target, missing live)\n");
            } else if (change instanceof ObjectChange.Removed removed) {
                out.append("  - ").append(removed.key()).append(" (live, not in target)\n");
            } else if (change instanceof ObjectChange.Changed changed) {
                out.append("  ~ ").append(changed.key()).append('\n');
                changed.fields().forEach(field -> out.append("      ").append(field).append('\n'));
            } else {
                throw new AssertionError(change);
            }
        }
        return out.toString();
    }
}
