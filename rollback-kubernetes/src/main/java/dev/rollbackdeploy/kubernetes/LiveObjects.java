package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.Canonicalizer;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Turns a live object back into the canonical form of a record, so hashes compare.
 *
 * <p>Two steps. First the object is projected onto the fields our field manager owns
 * ({@link ManagedFields}), which drops everything the server defaulted or other managers wrote: a
 * naive comparison of a live Deployment (with its defaulted {@code strategy},
 * {@code progressDeadlineSeconds}, {@code revisionHistoryLimit}...) with its manifest would never be
 * equal. Objects without an entry for our manager (created by something else, or a server that does
 * not track managed fields) are compared whole: a restore then re-applies them once, which is safe
 * and after which they carry the entry. Then the server-owned fields and our own marks are stripped.
 *
 * <p>The second step is the engine's {@link Canonicalizer}, the same one that produced the record's
 * form, so both sides share one definition of "canonical"; here we only drop what is ours and not
 * the manifest's (our managed-by label when we added it) and the deletion marks the Canonicalizer
 * does not know.
 */
final class LiveObjects {

    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final List<String> DELETION_MARKS = List.of("deletionTimestamp", "deletionGracePeriodSeconds");

    private LiveObjects() {
    }

    /** The canonical form of a live object, given as the JSON the API server returned. */
    static CanonicalObject canonical(String liveJson) {
        JsonNode live = read(liveJson);
        Optional<ObjectNode> owned = ManagedFields.ownedBy(live, Marks.FIELD_MANAGER);
        ObjectNode object = owned.isPresent() ? ManagedFields.project(live, owned.get()) : ((ObjectNode) live).deepCopy();
        strip(object);
        String kind = object.path("kind").asText();
        JsonNode metadata = object.path("metadata");
        ObjectKey key = ObjectKey.of(object.path("apiVersion").asText(), kind, metadata.path("namespace").asText(""),
                metadata.path("name").asText());
        return CanonicalObject.of(key, object.path("apiVersion").asText(),
                new String(Canonicalizer.canonicalBytes(object), StandardCharsets.UTF_8));
    }

    /** The live object's values at the recorded object's paths ({@link RecordedPaths}), canonical: for showing drift. */
    static CanonicalObject onRecordedPaths(String liveJson, CanonicalObject recorded) {
        JsonNode projected = RecordedPaths.project(read(liveJson), read(recorded.canonicalJson()));
        ObjectNode object = projected instanceof ObjectNode o ? o : SORTED.createObjectNode();
        return CanonicalObject.of(recorded.key(), recorded.apiVersion(),
                new String(Canonicalizer.canonicalBytes(object), StandardCharsets.UTF_8));
    }

    private static void strip(ObjectNode object) {
        if (!(object.get("metadata") instanceof ObjectNode metadata)) {
            return;
        }
        metadata.remove(DELETION_MARKS);
        boolean labelAdded = metadata.path("annotations").path(Marks.LABEL_ADDED_ANNOTATION).asText("").equals("true");
        if (labelAdded && metadata.get("labels") instanceof ObjectNode labels) {
            labels.remove(Marks.MANAGED_BY_LABEL);
            removeIfEmptied(metadata, "labels", true);
        }
    }

    /** A map we emptied was absent in the manifest: we only ever add entries to it. */
    private static void removeIfEmptied(ObjectNode parent, String field, boolean weRemovedSomething) {
        if (weRemovedSomething && parent.path(field).isEmpty()) {
            parent.remove(field);
        }
    }

    static JsonNode read(String json) {
        try {
            JsonNode node = SORTED.readTree(json);
            if (!node.isObject()) {
                throw new IllegalArgumentException("a Kubernetes object must be a JSON object, got " + node.getNodeType());
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a Kubernetes object must be JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(JsonNode node) {
        try {
            // Through plain Maps: ORDER_MAP_ENTRIES_BY_KEYS sorts Maps, not ObjectNodes.
            return SORTED.writeValueAsString(SORTED.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }
}
