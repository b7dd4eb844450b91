package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recorded objects for namespace {@code shop}, in canonical form (sorted keys, compact). */
final class Manifests {

    static final String NAMESPACE = "shop";
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Manifests() {
    }

    static CanonicalObject deployment(String name, String image, int replicas) {
        Map<String, Object> container = Map.of("name", "web", "image", image,
                "ports", List.of(Map.of("containerPort", 8080)));
        Map<String, Object> spec = Map.of(
                "replicas", replicas,
                "selector", Map.of("matchLabels", Map.of("app", name)),
                "template", Map.of("metadata", Map.of("labels", Map.of("app", name)),
                        "spec", Map.of("containers", List.of(container))));
        return object("apps/v1", "Deployment", name, Map.of("spec", spec), Map.of("app", name));
    }

    static CanonicalObject service(String name) {
        Map<String, Object> spec = Map.of("selector", Map.of("app", name),
                "ports", List.of(Map.of("port", 80, "targetPort", 8080)));
        return object("v1", "Service", name, Map.of("spec", spec), Map.of());
    }

    /** HTTPRoute web with all traffic on Service web (the canary tests' route before a rollout). */
    static CanonicalObject route() {
        return object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of(
                "parentRefs", List.of(Map.of("name", "gateway")),
                "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "web", "port", 80)))))), Map.of());
    }

    /** A canary release: web (4) on {@code image}, web-canary (0) on {@code canaryImage}, both Services and the route. */
    static ManifestSet canaryRelease(String image, String canaryImage) {
        return ManifestSet.of(List.of(deployment("web", image, 4), deployment("web-canary", canaryImage, 0),
                service("web"), service("web-canary"), route()));
    }

    static CanonicalObject configMap(String name, Map<String, String> data) {
        return object("v1", "ConfigMap", name, Map.of("data", data), Map.of());
    }

    static CanonicalObject secret(String name, Map<String, String> data) {
        return object("v1", "Secret", name, Map.of("data", data, "type", "Opaque"), Map.of());
    }

    static CanonicalObject object(String apiVersion, String kind, String name, Map<String, Object> body,
            Map<String, String> labels) {
        Map<String, Object> all = new LinkedHashMap<>(body);
        all.put("apiVersion", apiVersion);
        all.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", NAMESPACE);
        if (!labels.isEmpty()) {
            metadata.put("labels", labels);
        }
        all.put("metadata", metadata);
        try {
            return CanonicalObject.of(ObjectKey.of(apiVersion, kind, NAMESPACE, name), apiVersion, SORTED.writeValueAsString(all));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
