package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A YAML map from image reference to the digest its tag resolved to ({@code ghcr.io/acme/web:1.4.2:
 * sha256:…}), for a release whose images are not pinned in the manifests. Keys are parsed as image
 * references, so {@code nginx:1} and {@code docker.io/library/nginx:1} are one entry; an empty file is
 * an empty map.
 */
public final class DigestPins {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DigestPins() {
    }

    /**
     * @throws IllegalArgumentException what is wrong with the file, naming the entry (an unreadable file too)
     */
    public static Map<ImageRef, Digest> read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read as YAML (" + e.getClass().getSimpleName() + ")", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("must map each image to its digest, one per line, like "
                    + "'ghcr.io/acme/web:1.4.2: sha256:<64 hex digits>'");
        }
        Map<ImageRef, Digest> digests = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                ImageRef image = ImageRef.parse(entry.getKey());
                if (digests.put(image, Digest.parse(entry.getValue().asText())) != null) {
                    throw new IllegalArgumentException("image " + image + " is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry '" + entry.getKey() + "': " + e.getMessage(), e);
            }
        }
        return digests;
    }
}
