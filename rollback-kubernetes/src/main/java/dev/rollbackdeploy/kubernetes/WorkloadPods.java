package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods of a workload's current template, and what is wrong with them. Pods of the previous
 * template are left out: an old ReplicaSet that crash-loops must not fail the rollout that replaces
 * it. Only {@code spec.selector.matchLabels} is used to find pods (matchExpressions only narrow
 * further, and the template-hash label below narrows to the current template anyway).
 */
final class WorkloadPods {

    private static final String REVISION = "deployment.kubernetes.io/revision";

    private final KubernetesClient client;
    private final String namespace;
    private final Retrying retrying;
    private final int crashLoopRestarts;

    WorkloadPods(KubernetesClient client, String namespace, Retrying retrying, int crashLoopRestarts) {
        this.client = client;
        this.namespace = namespace;
        this.retrying = retrying;
        this.crashLoopRestarts = crashLoopRestarts;
    }

    Optional<String> problem(JsonNode workload) throws IOException, InterruptedException {
        Map<String, String> selector = labels(workload.path("spec").path("selector").path("matchLabels"));
        if (selector.isEmpty()) {
            return Optional.empty();
        }
        Optional<Map.Entry<String, String>> current = currentTemplateLabel(workload, selector);
        List<GenericKubernetesResource> pods = retrying.call("list pods of " + workload.path("metadata").path("name").asText(),
                () -> client.genericKubernetesResources("v1", "Pod").inNamespace(namespace).withLabels(selector).list()
                        .getItems());
        List<JsonNode> nodes = new ArrayList<>();
        for (GenericKubernetesResource pod : pods) {
            Map<String, String> podLabels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            if (current.isEmpty() || current.get().getValue().equals(podLabels.get(current.get().getKey()))) {
                nodes.add(LiveObjects.read(client.getKubernetesSerialization().asJson(pod)));
            }
        }
        return PodProblems.first(nodes, crashLoopRestarts);
    }

    /**
     * The pod label that marks the current template: a StatefulSet's update revision, or the
     * pod-template-hash of the Deployment's ReplicaSet for its current revision. Empty when unknown
     * (then all selected pods count).
     */
    private Optional<Map.Entry<String, String>> currentTemplateLabel(JsonNode workload, Map<String, String> selector)
            throws IOException, InterruptedException {
        String kind = workload.path("kind").asText();
        if (kind.equals("StatefulSet") && workload.path("status").hasNonNull("updateRevision")) {
            return Optional.of(Map.entry("controller-revision-hash", workload.path("status").path("updateRevision").asText()));
        }
        String revision = workload.path("metadata").path("annotations").path(REVISION).asText("");
        if (!kind.equals("Deployment") || revision.isEmpty()) {
            return Optional.empty();
        }
        String uid = workload.path("metadata").path("uid").asText();
        List<GenericKubernetesResource> sets = retrying.call("list ReplicaSets of " + workload.path("metadata").path("name").asText(),
                () -> client.genericKubernetesResources("apps/v1", "ReplicaSet").inNamespace(namespace).withLabels(selector)
                        .list().getItems());
        for (GenericKubernetesResource set : sets) {
            boolean owned = set.getMetadata().getOwnerReferences() != null
                    && set.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
            Map<String, String> annotations = set.getMetadata().getAnnotations() == null ? Map.of()
                    : set.getMetadata().getAnnotations();
            Map<String, String> setLabels = set.getMetadata().getLabels() == null ? Map.of() : set.getMetadata().getLabels();
            if (owned && revision.equals(annotations.get(REVISION)) && setLabels.containsKey("pod-template-hash")) {
                return Optional.of(Map.entry("pod-template-hash", setLabels.get("pod-template-hash")));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> labels(JsonNode matchLabels) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
