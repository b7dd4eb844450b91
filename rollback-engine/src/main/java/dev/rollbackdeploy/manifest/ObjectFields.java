package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** The identifying fields of one Kubernetes object, checked with messages naming field and value. */
record ObjectFields(ObjectKey key, String apiVersion) {

    /**
     * @param failure builds the exception for a detail; it adds the source and document
     */
    static ObjectFields of(JsonNode object, Function<String, ManifestException> failure) {
        String apiVersion = requiredString(object, "apiVersion", "apiVersion", failure);
        String kind = requiredString(object, "kind", "kind", failure);
        JsonNode metadata = object.get("metadata");
        if (metadata == null || metadata.isNull()) {
            throw failure.apply("missing metadata.name (no metadata) in " + kind);
        }
        if (!metadata.isObject()) {
            throw failure.apply("metadata of " + kind + " must be a mapping, got a " + ReadSession.describe(metadata));
        }
        if (metadata.get("name") == null && metadata.has("generateName")) {
            throw failure.apply("missing metadata.name in " + kind
                    + ": metadata.generateName is not supported, a release needs stable names");
        }
        String name = requiredString(metadata, "name", "metadata.name", failure);
        JsonNode namespaceNode = metadata.get("namespace");
        String namespace = "";
        if (namespaceNode != null && !namespaceNode.isNull()) {
            if (!namespaceNode.isTextual()) {
                throw failure.apply("metadata.namespace of " + kind + "/" + name + " must be a string, got a "
                        + ReadSession.describe(namespaceNode));
            }
            namespace = namespaceNode.textValue();
        }
        try {
            return new ObjectFields(ObjectKey.of(apiVersion, kind, namespace, name), apiVersion);
        } catch (IllegalArgumentException e) {
            throw failure.apply(e.getMessage());
        }
    }

    private static String requiredString(JsonNode parent, String field, String path,
            Function<String, ManifestException> failure) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw failure.apply("missing " + path);
        }
        if (!value.isTextual()) {
            throw failure.apply(path + " must be a string, got a " + ReadSession.describe(value));
        }
        if (value.textValue().isBlank()) {
            throw failure.apply(path + " must not be blank, got '" + value.textValue() + "'");
        }
        return value.textValue();
    }
}
