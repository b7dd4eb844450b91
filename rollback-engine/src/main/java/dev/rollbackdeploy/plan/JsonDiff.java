package dev.rollbackdeploy.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Field-level differences between two JSON trees. Lists whose items all carry a distinct
 * {@code name} (containers, env, ports, volumes) are matched by name, so inserting one container
 * reads as one added container rather than every later index changing.
 */
final class JsonDiff {

    private static final int MAX_VALUE_CHARS = 160;

    private final boolean maskValues;
    private final List<FieldChange> changes = new ArrayList<>();

    private JsonDiff(boolean maskValues) {
        this.maskValues = maskValues;
    }

    /**
     * @param maskValues report which fields changed but not their values (Secret data)
     */
    static List<FieldChange> between(JsonNode before, JsonNode after, boolean maskValues) {
        JsonDiff diff = new JsonDiff(maskValues);
        diff.walk("", before, after);
        return List.copyOf(diff.changes);
    }

    private void walk(String path, JsonNode before, JsonNode after) {
        if (before != null && before.equals(after)) {
            return;
        }
        if (before != null && after != null && before.isObject() && after.isObject()) {
            TreeSet<String> fields = new TreeSet<>();
            before.fieldNames().forEachRemaining(fields::add);
            after.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                walk(join(path, field), before.get(field), after.get(field));
            }
        } else if (before != null && after != null && before.isArray() && after.isArray()) {
            walkArray(path, before, after);
        } else if (!maskValues && before != null && after != null && before.isTextual() && after.isTextual()
                && Math.max(before.textValue().length(), after.textValue().length()) > MAX_VALUE_CHARS) {
            changes.add(LongTexts.change(path, before.textValue(), after.textValue(), MAX_VALUE_CHARS));
        } else {
            changes.add(new FieldChange(path.isEmpty() ? "(object)" : path, render(before), render(after)));
        }
    }

    private void walkArray(String path, JsonNode before, JsonNode after) {
        Map<String, JsonNode> beforeByName = byName(before);
        Map<String, JsonNode> afterByName = byName(after);
        if (beforeByName != null && afterByName != null) {
            TreeSet<String> names = new TreeSet<>(beforeByName.keySet());
            names.addAll(afterByName.keySet());
            for (String name : names) {
                walk(path + "[" + name + "]", beforeByName.get(name), afterByName.get(name));
            }
            return;
        }
        for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
            walk(path + "[" + i + "]", before.get(i), after.get(i));
        }
    }

    /** Items keyed by their {@code name}, or null when not every item has a distinct one. */
    private static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> out = new HashMap<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode item = it.next();
            JsonNode name = item.isObject() ? item.get("name") : null;
            if (name == null || !name.isTextual() || out.put(name.asText(), item) != null) {
                return null;
            }
        }
        return out;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private String render(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (maskValues) {
            return "(hidden)";
        }
        String text = value.toString();
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "…";
    }
}
