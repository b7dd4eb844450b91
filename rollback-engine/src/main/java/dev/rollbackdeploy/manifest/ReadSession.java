package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * State of one {@link ManifestReader} read over all its sources: the byte and document budgets,
 * and the keys seen so far (for the duplicate check, which must span files).
 */
final class ReadSession {

    private final ManifestLimits limits;
    private final List<CanonicalObject> objects = new ArrayList<>();
    private final Map<ObjectKey, String> seen = new HashMap<>();
    private long bytesRead;
    private int documents;

    ReadSession(ManifestLimits limits) {
        this.limits = limits;
    }

    long bytesRead() {
        return bytesRead;
    }

    ManifestException tooLarge(String source, long size) {
        return new ManifestException(source + ": input exceeds maxInputBytes=" + limits.maxInputBytes() + " ("
                + source + " is " + size + " bytes" + (bytesRead > 0 ? ", " + bytesRead + " already read" : "") + ")");
    }

    void countBytes(String source, long size) {
        if (size > limits.maxInputBytes() - bytesRead) {
            throw tooLarge(source, size);
        }
        bytesRead += size;
    }

    void countDocument(String source, int document) {
        if (++documents > limits.maxDocuments()) {
            throw ManifestException.at(source, document, 0, "more than maxDocuments=" + limits.maxDocuments()
                    + " documents in this read");
        }
    }

    void accept(String source, int document, int line, JsonNode root) {
        if (!root.isObject()) {
            throw ManifestException.at(source, document, line, "document is a " + describe(root)
                    + ", not a mapping; each document must be one Kubernetes object");
        }
        JsonNode items = root.get("items");
        if ("List".equals(root.path("kind").textValue()) && items != null) {
            if (!items.isArray()) {
                throw ManifestException.at(source, document, line, "items of a List must be a sequence, got a "
                        + describe(items));
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String prefix = "items[" + i + "]: ";
                if (!item.isObject()) {
                    throw ManifestException.at(source, document, line, prefix + "is a " + describe(item)
                            + ", not a mapping");
                }
                add(source, document, line, prefix, item);
            }
            return;
        }
        add(source, document, line, "", root);
    }

    private void add(String source, int document, int line, String prefix, JsonNode object) {
        ObjectFields fields = ObjectFields.of(object, detail -> ManifestException.at(source, document, line,
                prefix + detail));
        String where = ManifestException.where(source, document, line);
        String earlier = seen.putIfAbsent(fields.key(), where);
        if (earlier != null) {
            throw ManifestException.at(source, document, line, prefix + "duplicate object " + fields.key()
                    + " (group+kind+namespace+name), first defined in " + earlier);
        }
        byte[] canonical = Canonicalizer.canonicalBytes(object);
        objects.add(CanonicalObject.of(fields.key(), fields.apiVersion(),
                new String(canonical, StandardCharsets.UTF_8)));
    }

    ManifestSet result() {
        return ManifestSet.of(objects);
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "sequence";
            case OBJECT -> "mapping";
            case STRING -> "string '" + abbreviate(node.textValue()) + "'";
            case NULL, MISSING -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + node;
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
