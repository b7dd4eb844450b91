package dev.rollbackdeploy.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Realistic generated releases for benchmarks: Deployments, Services and ConfigMaps. */
public final class Releases {

    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Releases() {
    }

    /**
     * A release of {@code apps} apps (each a Deployment, a Service and a ConfigMap), the images at
     * {@code version}.
     */
    public static ManifestSet release(int apps, int version) {
        List<CanonicalObject> objects = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            String name = "app-" + i;
            String image = "ghcr.io/acme/" + name + ":" + version + "@sha256:" + String.format("%064x", (long) version * 1000 + i);
            objects.add(object("apps/v1", "Deployment", name, Map.of("spec", Map.of(
                    "replicas", 3,
                    "selector", Map.of("matchLabels", Map.of("app", name)),
                    "template", Map.of("metadata", Map.of("labels", Map.of("app", name, "tier", "web")),
                            "spec", Map.of("containers", List.of(Map.of("name", "main", "image", image,
                                    "ports", List.of(Map.of("containerPort", 8080)),
                                    "resources", Map.of("requests", Map.of("cpu", "100m", "memory", "128Mi")),
                                    "env", List.of(Map.of("name", "VERSION", "value", String.valueOf(version)))))))))));
            objects.add(object("v1", "Service", name, Map.of("spec", Map.of("selector", Map.of("app", name),
                    "ports", List.of(Map.of("port", 80, "targetPort", 8080))))));
            objects.add(object("v1", "ConfigMap", name + "-config", Map.of("data", Map.of("LOG_LEVEL", "info",
                    "FEATURE_X", version % 2 == 0 ? "on" : "off"))));
        }
        return ManifestSet.of(objects);
    }

    private static CanonicalObject object(String apiVersion, String kind, String name, Map<String, Object> body) {
        Map<String, Object> all = new java.util.HashMap<>(body);
        all.put("apiVersion", apiVersion);
        all.put("kind", kind);
        all.put("metadata", Map.of("name", name, "namespace", "bench"));
        try {
            return CanonicalObject.of(ObjectKey.of(apiVersion, kind, "bench", name), apiVersion, SORTED.writeValueAsString(all));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
