package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * fabric8's CRUD dispatcher answers server-side apply ({@code application/apply-patch+yaml}) with 415
 * in 7.3.1 (its PatchHandler knows JSON and merge patches only). This subclass emulates the parts of
 * apply the adapter relies on: create-or-replace from the applied body, a {@code managedFields} entry
 * for the field manager listing exactly the applied fields (lists of named items keyed by name, ports
 * by port and protocol, like the real server), and server defaults the manifest does not carry
 * (Deployment strategy and progressDeadlineSeconds, container imagePullPolicy, Service clusterIP...),
 * so tests see live objects as different from manifests as real ones are. Not emulated: keeping
 * fields that other managers own (the replaced object is the applied one plus defaults).
 */
public final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/apply-patch+yaml")) {
            return super.handlePatch(request);
        }
        try {
            return apply(request);
        } catch (JsonProcessingException e) {
            return new MockResponse().setResponseCode(400).setBody(e.getOriginalMessage());
        }
    }

    private MockResponse apply(RecordedRequest request) throws JsonProcessingException {
        String[] pathAndQuery = request.getPath().split("\\?", 2);
        String path = pathAndQuery[0];
        String manager = query(pathAndQuery.length > 1 ? pathAndQuery[1] : "", "fieldManager");
        ObjectNode applied = (ObjectNode) YAML.readTree(request.getBody().readUtf8());
        ObjectNode object = applied.deepCopy();
        Defaults.fill(object);
        ObjectNode entry = JSON.createObjectNode().put("manager", manager).put("operation", "Apply")
                .put("apiVersion", applied.path("apiVersion").asText()).put("fieldsType", "FieldsV1");
        entry.set("fieldsV1", fieldsOfObject(applied, true));
        object.withObjectProperty("metadata").putArray("managedFields").add(entry);

        MockResponse existing = super.handleGet(path);
        if (existing.code() == 404) {
            String collection = path.substring(0, path.lastIndexOf('/'));
            return super.handleCreate(request(HttpMethod.POST, collection, object));
        }
        JsonNode current = JSON.readTree(existing.getBody().readUtf8());
        if (current.has("status")) {
            object.set("status", current.get("status"));
        }
        return super.handleUpdate(request(HttpMethod.PUT, path, object));
    }

    private static RecordedRequest request(HttpMethod method, String path, JsonNode body) throws JsonProcessingException {
        return new RecordedRequest("HTTP/1.1", method, path,
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)));
    }

    private static String query(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    /** fieldsV1 of an applied object: identity fields are never listed. */
    private static ObjectNode fieldsOfObject(JsonNode value, boolean root) {
        ObjectNode out = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String name = e.getKey();
            if (root && (name.equals("apiVersion") || name.equals("kind"))) {
                continue;
            }
            if (root && name.equals("metadata")) {
                ObjectNode metadata = JSON.createObjectNode();
                for (String owned : new String[] {"labels", "annotations"}) {
                    if (e.getValue().has(owned)) {
                        metadata.set("f:" + owned, fieldsOf(e.getValue().get(owned)));
                    }
                }
                out.set("f:metadata", metadata);
                continue;
            }
            out.set("f:" + name, fieldsOf(e.getValue()));
        }
        return out;
    }

    private static JsonNode fieldsOf(JsonNode value) {
        if (value.isObject() && !value.isEmpty()) {
            ObjectNode set = fieldsOfObject(value, false);
            set.putObject(".");
            return set;
        }
        if (value.isArray() && !value.isEmpty() && value.get(0).isObject()
                && (value.get(0).has("name") || value.get(0).has("containerPort") || value.get(0).has("port"))) {
            ObjectNode set = JSON.createObjectNode();
            for (JsonNode item : value) {
                ObjectNode itemSet = fieldsOfObject(item, false);
                itemSet.putObject(".");
                set.set("k:" + key(item), itemSet);
            }
            return set;
        }
        return JSON.createObjectNode();
    }

    private static String key(JsonNode item) {
        ObjectNode key = JSON.createObjectNode();
        if (item.has("containerPort") || item.has("port")) {
            String field = item.has("containerPort") ? "containerPort" : "port";
            key.set(field, item.get(field));
            key.put("protocol", item.path("protocol").asText("TCP"));
        } else {
            key.set("name", item.get("name"));
        }
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** What a real API server fills in on write: enough of it to make naive comparisons fail. */
    static final class Defaults {

        private Defaults() {
        }

        static void fill(ObjectNode object) {
            ObjectNode spec = object.withObjectProperty("spec");
            switch (object.path("kind").asText()) {
                case "Deployment" -> {
                    putIfAbsent(spec, "progressDeadlineSeconds", 600);
                    putIfAbsent(spec, "revisionHistoryLimit", 10);
                    if (!spec.has("strategy")) {
                        spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate")
                                .put("maxSurge", "25%").put("maxUnavailable", "25%");
                    }
                    for (JsonNode container : spec.path("template").path("spec").path("containers")) {
                        putIfAbsent((ObjectNode) container, "imagePullPolicy", "IfNotPresent");
                        putIfAbsent((ObjectNode) container, "terminationMessagePath", "/dev/termination-log");
                        for (JsonNode port : container.path("ports")) {
                            putIfAbsent((ObjectNode) port, "protocol", "TCP");
                        }
                    }
                }
                case "Service" -> {
                    putIfAbsent(spec, "clusterIP", "10.96.0.10");
                    putIfAbsent(spec, "sessionAffinity", "None");
                    putIfAbsent(spec, "type", "ClusterIP");
                    if (spec.get("ports") instanceof ArrayNode ports) {
                        ports.forEach(p -> putIfAbsent((ObjectNode) p, "protocol", "TCP"));
                    }
                }
                default -> {
                    if (spec.isEmpty()) {
                        object.remove("spec");
                    }
                }
            }
        }

        private static void putIfAbsent(ObjectNode node, String field, Object value) {
            if (!node.has(field)) {
                node.set(field, JSON.valueToTree(value));
            }
        }
    }
}
