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
 * {@code docker.io/library/nginx:1} are the same entry.
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
        if (root == null || !root.isObject()) {
            throw new CliException(ExitCode.USAGE, "digests file " + file
                    + " must be a YAML map of image: sha256:<64 hex>, got " + (root == null ? "nothing" : root.getNodeType()));
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
}
