package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a Kubernetes release's manifests say about its Deployments and Services (read offline). */
final class Releases {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Releases() {
    }

    /** The Deployments the release has, by name. */
    static List<String> deployments(ManifestSet release) {
        return release.keys().stream().filter(k -> k.kind().equals("Deployment")).map(ObjectKey::name).sorted().toList();
    }

    /** The workload's spec.replicas (1 when not set, as the API server defaults it). */
    static int replicas(ManifestSet release, ObjectKey workload) {
        JsonNode replicas = tree(release.get(workload).orElseThrow()).path("spec").path("replicas");
        return replicas.isMissingNode() || replicas.isNull() ? 1 : replicas.asInt();
    }

    /**
     * A Service of the release, other than {@code except}, whose selector picks the workload's pods
     * (every selector label is on the pod template) and not those of {@code other}: the Service traffic
     * reaches that one version through.
     */
    static Optional<String> serviceSelecting(ManifestSet release, ObjectKey workload, ObjectKey other, String except) {
        JsonNode labels = podLabels(release, workload);
        JsonNode otherLabels = podLabels(release, other);
        for (CanonicalObject object : release.objects()) {
            ObjectKey key = object.key();
            if (!key.kind().equals("Service") || !key.group().isEmpty() || key.name().equals(except)) {
                continue;
            }
            JsonNode selector = tree(object).path("spec").path("selector");
            if (selector.isObject() && !selector.isEmpty() && selects(selector, labels) && !selects(selector, otherLabels)) {
                return Optional.of(key.name());
            }
        }
        return Optional.empty();
    }

    private static JsonNode podLabels(ManifestSet release, ObjectKey workload) {
        return tree(release.get(workload).orElseThrow()).path("spec").path("template").path("metadata").path("labels");
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode tree(CanonicalObject object) {
        try {
            return JSON.readTree(object.canonicalJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a canonical object is JSON: " + object.key(), e);
        }
    }
}
