package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * Projects a live object onto the fields one field manager owns, as the API server records them in
 * {@code metadata.managedFields[].fieldsV1}. After a server-side apply, the fields our manager owns
 * are exactly the fields of the manifest we applied; everything the server defaulted
 * ({@code spec.strategy}, {@code clusterIP}, {@code imagePullPolicy}...) or other managers wrote
 * (an HPA's replicas, a mutating webhook's sidecar) belongs to someone else and is left out. So the
 * projection is the applied manifest again, with live values, and can be compared with a record.
 *
 * <p>If someone else changes a field we applied ({@code kubectl edit}, {@code kubectl set image}),
 * the server moves its ownership to them: the field drops out of the projection, the projection no
 * longer equals the record, and a restore re-applies it (forcing ownership back).
 *
 * <p>fieldsV1 keys (see the structured-merge-diff "FieldsV1" format): {@code f:<name>} a map field,
 * {@code k:<json>} a list item identified by its key fields, {@code v:<json>} a set item by value,
 * {@code i:<n>} a list item by index, {@code .} the node itself. An empty set means the whole value.
 */
final class ManagedFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManagedFields() {
    }

    /** The union of the fieldsV1 sets of every entry (Apply and Update) written by this manager. */
    static Optional<ObjectNode> ownedBy(JsonNode object, String manager) {
        ObjectNode union = null;
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (manager.equals(entry.path("manager").asText()) && entry.path("fieldsV1").isObject()) {
                union = union == null ? JSON.createObjectNode() : union;
                merge(union, (ObjectNode) entry.get("fieldsV1"));
            }
        }
        return Optional.ofNullable(union);
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else if (existing == null) {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /**
     * The live value restricted to the owned set; identity fields (apiVersion, kind, name, namespace)
     * are kept even though fieldsV1 never lists them.
     */
    static ObjectNode project(JsonNode live, ObjectNode owned) {
        JsonNode projected = projectNode(live, owned);
        ObjectNode out = projected instanceof ObjectNode o ? o : JSON.createObjectNode();
        out.set("apiVersion", live.path("apiVersion").deepCopy());
        out.set("kind", live.path("kind").deepCopy());
        ObjectNode metadata = out.get("metadata") instanceof ObjectNode m ? m : out.putObject("metadata");
        metadata.set("name", live.path("metadata").path("name").deepCopy());
        if (live.path("metadata").has("namespace")) {
            metadata.set("namespace", live.path("metadata").get("namespace").deepCopy());
        }
        return out;
    }

    private static JsonNode projectNode(JsonNode live, JsonNode owned) {
        if (owned.isEmpty() || !(live.isObject() || live.isArray())) {
            return live.deepCopy();
        }
        if (live.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> e : owned.properties()) {
                if (e.getKey().startsWith("f:")) {
                    String name = e.getKey().substring(2);
                    if (live.has(name)) {
                        out.set(name, projectNode(live.get(name), e.getValue()));
                    }
                }
            }
            return out;
        }
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < live.size(); i++) {
            JsonNode item = live.get(i);
            JsonNode itemSet = itemSet(owned, item, i);
            if (itemSet != null) {
                out.add(projectNode(item, itemSet));
            }
        }
        return out;
    }

    /** The owned subset for this list item, or null when the item is not ours. */
    private static JsonNode itemSet(JsonNode owned, JsonNode item, int index) {
        for (Map.Entry<String, JsonNode> e : owned.properties()) {
            String key = e.getKey();
            if (key.startsWith("k:") && matchesKey(item, parse(key.substring(2)))
                    || key.startsWith("v:") && parse(key.substring(2)).equals(item)
                    || key.equals("i:" + index)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean matchesKey(JsonNode item, JsonNode keyFields) {
        if (!item.isObject() || !keyFields.isObject()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : keyFields.properties()) {
            if (!e.getValue().equals(item.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("managedFields key must be JSON, got '" + json + "'", e);
        }
    }
}
