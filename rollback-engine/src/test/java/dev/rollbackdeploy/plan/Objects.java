package dev.rollbackdeploy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small manifests for planner tests, serialised with sorted keys like the canonical form. */
final class Objects {

    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Objects() {
    }

    static CanonicalObject deployment(String name, String image, int replicas, String selectorApp) {
        Map<String, Object> container = Map.of("name", "web", "image", image);
        Map<String, Object> spec = Map.of(
                "replicas", replicas,
                "selector", Map.of("matchLabels", Map.of("app", selectorApp)),
                "template", Map.of("metadata", Map.of("labels", Map.of("app", selectorApp)),
                        "spec", Map.of("containers", List.of(container))));
        return object("apps/v1", "Deployment", name, Map.of("spec", spec));
    }

    static CanonicalObject configMap(String name, Map<String, String> data) {
        return object("v1", "ConfigMap", name, Map.of("data", data));
    }

    static CanonicalObject secret(String name, Map<String, String> data) {
        return object("v1", "Secret", name, Map.of("data", data));
    }

    static CanonicalObject service(String name, String clusterIp) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("app", name));
        if (clusterIp != null) {
            spec.put("clusterIP", clusterIp);
        }
        return object("v1", "Service", name, Map.of("spec", spec));
    }

    /** The same object with spec.replicas changed, as a scale subresource write would leave it. */
    @SuppressWarnings("unchecked")
    static CanonicalObject withReplicas(CanonicalObject workload, int replicas) {
        try {
            Map<String, Object> all = SORTED.readValue(workload.canonicalJson(), Map.class);
            ((Map<String, Object>) all.get("spec")).put("replicas", replicas);
            return CanonicalObject.of(workload.key(), workload.apiVersion(), SORTED.writeValueAsString(all));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    static CanonicalObject object(String apiVersion, String kind, String name, Map<String, Object> body) {
        Map<String, Object> all = new LinkedHashMap<>(body);
        all.put("apiVersion", apiVersion);
        all.put("kind", kind);
        all.put("metadata", Map.of("name", name, "namespace", "shop"));
        try {
            return CanonicalObject.of(ObjectKey.of(apiVersion, kind, "shop", name), apiVersion, SORTED.writeValueAsString(all));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
