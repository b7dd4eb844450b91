package dev.rollbackdeploy.cli;

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
 * A YAML map from image reference to the digest its tag resolved to, for runs without a registry
 * (the local example). Keys are parsed as image references, so {@code nginx:1} and
 * {@code docker.io/library/nginx:1} are the same entry. An empty file is an empty map: a release
 * whose images are all pinned already needs no entries (issue 9, item 11).
 */
final class DigestsFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DigestsFile() {
    }

    static Map<ImageRef, Digest> read(Path file) throws CliException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read digests file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new CliException(ExitCode.USAGE, "digests file " + file + " must map each image to its digest, one per"
                    + " line, like 'ghcr.io/acme/web:1.4.2: sha256:<64 hex digits>'; it holds " + describe(root)
                    + " instead");
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
                throw new CliException(ExitCode.USAGE, "digests file " + file + ", entry '" + entry.getKey() + "': "
                        + e.getMessage(), e);
            }
        }
        return digests;
    }

    /** An example line for an image that needs an entry. */
    static String exampleLine(ImageRef image) {
        return image + ": sha256:<64 hex digits>";
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case STRING -> "the text '" + (node.textValue().length() > 40 ? node.textValue().substring(0, 40) + "…"
                    : node.textValue()) + "'";
            case NUMBER -> "the number " + node;
            case BOOLEAN -> "the value " + node;
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
