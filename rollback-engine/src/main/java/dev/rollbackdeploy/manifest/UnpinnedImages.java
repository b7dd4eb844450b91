package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Fields named {@code image} that hold no digest after pinning: images outside any pod template,
 * such as an Argo Workflows template's {@code container} or a Tekton step. {@link ImagePinner}
 * cannot know these are container images to pull, so they are named for people instead of being
 * silently recorded by tag (issue 9, item 13). ConfigMap and Secret data are never run, so they are
 * not searched.
 */
public final class UnpinnedImages {

    private UnpinnedImages() {
    }

    /** {@code Kind.group/ns/name path = value} for each such field, in key order. */
    public static List<String> of(ManifestSet set) {
        List<String> found = new ArrayList<>();
        for (CanonicalObject object : set.objects()) {
            ObjectKey key = object.key();
            boolean data = key.group().isEmpty() && (key.kind().equals("ConfigMap") || key.kind().equals("Secret"));
            if (data || !object.canonicalJson().contains("\"image\":")) {
                continue;
            }
            walk(key, "", ImagePinner.tree(object), found);
        }
        return List.copyOf(found);
    }

    private static void walk(ObjectKey key, String path, JsonNode node, List<String> found) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(key, path + "[" + i + "]", node.get(i), found);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().equals("image") && value.isTextual() && !value.textValue().contains("@sha256:")) {
                found.add(key + " " + at + " = " + value.textValue());
            } else {
                walk(key, at, value, found);
            }
        }
    }
}
