package dev.rollbackdeploy.manifest;

import java.nio.charset.StandardCharsets;

/**
 * One object of a release in canonical form: JSON with sorted keys, normalised numbers, no
 * insignificant whitespace, server-owned fields stripped ({@link Canonicalizer}). The hash is over
 * exactly these bytes, so two objects are equal exactly when their hashes are.
 */
public record CanonicalObject(ObjectKey key, String apiVersion, String canonicalJson, TemplateHash hash) {

    public CanonicalObject {
        if (key == null || apiVersion == null || apiVersion.isBlank() || canonicalJson == null || hash == null) {
            throw new IllegalArgumentException("canonical object needs key, apiVersion, json and hash, got key="
                    + key + " apiVersion='" + apiVersion + "'");
        }
        try {
            if (!key.matchesApiVersion(apiVersion)) {
                throw new IllegalArgumentException("apiVersion '" + apiVersion + "' is not of the API group of " + key);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("canonical object " + key + ": " + e.getMessage(), e);
        }
        TemplateHash actual = TemplateHash.of(canonicalJson.getBytes(StandardCharsets.UTF_8));
        if (!actual.equals(hash)) {
            throw new IllegalArgumentException("hash of " + key + " is " + hash + " but its canonical bytes hash to "
                    + actual);
        }
    }

    /** Builds the object and computes its hash from the canonical JSON. */
    public static CanonicalObject of(ObjectKey key, String apiVersion, String canonicalJson) {
        return new CanonicalObject(key, apiVersion, canonicalJson,
                TemplateHash.of(canonicalJson.getBytes(StandardCharsets.UTF_8)));
    }
}
