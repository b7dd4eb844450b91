package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Blue-green on Kubernetes: an active Service (what users reach) and a preview Service (the new
 * version, for checks before the switch), each selecting one version's pods. Promotion points the
 * active Service's selector at the preview's pods in ONE write (a JSON patch under our field manager
 * that replaces the whole selector, so no label of the old one is left behind), which also records the selector it replaced in the annotation
 * {@value #PREVIOUS_SELECTOR_ANNOTATION}; switching back is one write from that annotation, so it
 * works from a fresh process too (a Jenkins controller restart inside the warm window). A switch that
 * is already in force writes nothing. Every write is read back.
 */
public final class ServiceSwitch {

    public static final String PREVIOUS_SELECTOR_ANNOTATION = Marks.ANNOTATION_PREFIX + "previous-selector";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String active;
    private final String preview;
    private final Retrying retrying;

    public ServiceSwitch(KubernetesClient client, String namespace, String activeService, String previewService,
            Retrying retrying) {
        if (activeService == null || activeService.equals(previewService)) {
            throw new IllegalArgumentException("active and preview Services must differ, got '" + activeService + "' and '"
                    + previewService + "'");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.active = activeService;
        this.preview = Objects.requireNonNull(previewService, "previewService");
        this.retrying = Objects.requireNonNull(retrying, "retrying");
    }

    /** The active Service's selector now. */
    public Map<String, String> activeSelector() throws IOException, InterruptedException {
        return selector(read(active), active);
    }

    /**
     * Points the active Service at the preview's pods (one write; none when already there).
     *
     * @return whether a write was made
     */
    public boolean promote() throws IOException, InterruptedException {
        JsonNode activeNow = read(active);
        Map<String, String> target = selector(read(preview), preview);
        Map<String, String> current = selector(activeNow, active);
        if (current.equals(target)) {
            return false;
        }
        write(activeNow, target, JSON.writeValueAsString(current));
        return true;
    }

    /**
     * Points the active Service back at the selector it had before the last promotion (one write;
     * none when already there).
     *
     * @throws IllegalStateException the active Service records no earlier selector (never promoted by us)
     */
    public boolean switchBack() throws IOException, InterruptedException {
        JsonNode activeNow = read(active);
        JsonNode recorded = activeNow.path("metadata").path("annotations").path(PREVIOUS_SELECTOR_ANNOTATION);
        if (!recorded.isTextual()) {
            throw new IllegalStateException("Service " + namespace + "/" + active + " has no annotation "
                    + PREVIOUS_SELECTOR_ANNOTATION + ": it was not switched by rollback-deploy, so there is no previous"
                    + " version to switch back to; restore the previous build from its record instead");
        }
        Map<String, String> previous = new TreeMap<>();
        JSON.readTree(recorded.asText()).fields().forEachRemaining(e -> previous.put(e.getKey(), e.getValue().asText()));
        Map<String, String> current = selector(activeNow, active);
        if (current.equals(previous)) {
            return false;
        }
        write(activeNow, previous, recorded.asText());
        return true;
    }

    private void write(JsonNode activeNow, Map<String, String> target, String previousAnnotation)
            throws IOException, InterruptedException {
        com.fasterxml.jackson.databind.node.ArrayNode patch = JSON.createArrayNode();
        ObjectNode selector = JSON.createObjectNode();
        target.forEach(selector::put);
        patch.addObject().put("op", "replace").put("path", "/spec/selector").set("value", selector);
        if (!activeNow.path("metadata").path("annotations").isObject()) {
            patch.addObject().put("op", "add").put("path", "/metadata/annotations").set("value", JSON.createObjectNode());
        }
        patch.addObject().put("op", "add").put("path", "/metadata/annotations/"
                + PREVIOUS_SELECTOR_ANNOTATION.replace("~", "~0").replace("/", "~1")).put("value", previousAnnotation);
        PatchContext context = new PatchContext.Builder().withPatchType(PatchType.JSON)
                .withFieldManager(Marks.FIELD_MANAGER).build();
        String body = JSON.writeValueAsString(patch);
        retrying.call("switch Service " + namespace + "/" + active + " to " + target, () -> client
                .genericKubernetesResources("v1", "Service").inNamespace(namespace).withName(active).patch(context, body));
        Map<String, String> confirmed = activeSelector();
        if (!confirmed.equals(target)) {
            throw new IOException("Service " + namespace + "/" + active + " reads back selector " + confirmed + ", not " + target);
        }
    }

    private JsonNode read(String service) throws IOException, InterruptedException {
        GenericKubernetesResource live = retrying.call("read Service " + namespace + "/" + service,
                () -> client.genericKubernetesResources("v1", "Service").inNamespace(namespace).withName(service).get());
        if (live == null) {
            throw new IOException("Service " + namespace + "/" + service + " does not exist");
        }
        return JSON.readTree(client.getKubernetesSerialization().asJson(live));
    }

    private Map<String, String> selector(JsonNode service, String name) throws IOException {
        JsonNode selector = service.path("spec").path("selector");
        if (!selector.isObject() || selector.isEmpty()) {
            throw new IOException("Service " + namespace + "/" + name + " has no spec.selector; blue-green needs both"
                    + " Services to select pods by labels");
        }
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            out.put(entry.getKey(), entry.getValue().asText());
        }
        return out;
    }
}
