package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A live object's values at the paths a recorded object has, for showing drift. Pure.
 *
 * <p>Why not the managed-fields projection that restores compare ({@link ManagedFields})? On a real
 * API server {@code kubectl set image} or {@code kubectl edit} moves the field's ownership to
 * another manager, so the field drops out of that projection and a diff could only say "absent
 * live". People need the value that is live now. Paths the record does not have are left out, which
 * ignores what the server or other controllers populated (defaults, status, an injected sidecar).
 * Lists whose items all have a distinct {@code name} are matched by name (as the engine's diff
 * does); other lists of objects by index; lists of plain values are taken whole.
 */
final class RecordedPaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordedPaths() {
    }

    /** {@code live} restricted to the paths of {@code recorded}; null when live has nothing there. */
    static JsonNode project(JsonNode live, JsonNode recorded) {
        if (live == null || live.isMissingNode()) {
            return null;
        }
        if (recorded.isObject() && live.isObject()) {
            ObjectNode out = NODES.objectNode();
            recorded.fieldNames().forEachRemaining(field -> {
                JsonNode value = project(live.get(field), recorded.get(field));
                if (value != null) {
                    out.set(field, value);
                }
            });
            return out;
        }
        if (recorded.isArray() && live.isArray() && !recorded.isEmpty() && recorded.get(0).isObject()) {
            return projectList((ArrayNode) live, (ArrayNode) recorded);
        }
        return live.deepCopy();
    }

    private static ArrayNode projectList(ArrayNode live, ArrayNode recorded) {
        ArrayNode out = NODES.arrayNode();
        Map<String, JsonNode> liveByName = byName(live);
        Map<String, JsonNode> recordedByName = byName(recorded);
        if (liveByName != null && recordedByName != null) {
            for (Map.Entry<String, JsonNode> item : recordedByName.entrySet()) {
                JsonNode value = project(liveByName.get(item.getKey()), item.getValue());
                if (value != null) {
                    out.add(value);
                }
            }
            return out;
        }
        for (int i = 0; i < Math.min(live.size(), recorded.size()); i++) {
            out.add(project(live.get(i), recorded.get(i)));
        }
        return out;
    }

    /** Items by their {@code name}, or null when not every item has a distinct one. */
    private static Map<String, JsonNode> byName(ArrayNode list) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode item : list) {
            JsonNode name = item.get("name");
            if (name == null || !name.isTextual() || out.put(name.asText(), item) != null) {
                return null;
            }
        }
        return out;
    }
}
