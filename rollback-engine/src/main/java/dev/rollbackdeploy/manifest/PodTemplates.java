package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the pod spec sits in each workload kind we deploy, and the containers in it. Kinds are
 * matched with their API group, so a custom resource that happens to be called Deployment is left
 * alone.
 */
final class PodTemplates {

    /** The three container lists of a pod spec, in the order the kubelet starts them. */
    static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    private static final List<String> POD = List.of("spec");
    private static final List<String> TEMPLATE = List.of("spec", "template", "spec");
    private static final List<String> JOB_TEMPLATE = List.of("spec", "jobTemplate", "spec", "template", "spec");

    private record Workload(Set<String> groups, List<String> path) {
    }

    private static final Map<String, Workload> WORKLOADS = Map.of(
            "Pod", new Workload(Set.of(""), POD),
            "ReplicationController", new Workload(Set.of(""), TEMPLATE),
            "Deployment", new Workload(Set.of("apps", "extensions"), TEMPLATE),
            "StatefulSet", new Workload(Set.of("apps"), TEMPLATE),
            "DaemonSet", new Workload(Set.of("apps", "extensions"), TEMPLATE),
            "ReplicaSet", new Workload(Set.of("apps", "extensions"), TEMPLATE),
            "Job", new Workload(Set.of("batch"), TEMPLATE),
            "CronJob", new Workload(Set.of("batch"), JOB_TEMPLATE),
            "Rollout", new Workload(Set.of("argoproj.io"), TEMPLATE));

    /** Receives each container of a workload, with the list it is in. */
    interface ContainerVisitor {
        void visit(String list, int index, ObjectNode container);
    }

    private PodTemplates() {
    }

    static boolean isWorkload(ObjectKey key, String apiVersion) {
        Workload workload = WORKLOADS.get(key.kind());
        return workload != null && workload.groups().contains(group(apiVersion));
    }

    /**
     * Visits every container of the object's pod spec; none when the object is not a workload or
     * has no inline template (an argo Rollout with {@code workloadRef}).
     */
    static void forEachContainer(ObjectKey key, String apiVersion, JsonNode root, ContainerVisitor visitor) {
        if (!isWorkload(key, apiVersion)) {
            return;
        }
        JsonNode spec = root;
        for (String step : WORKLOADS.get(key.kind()).path()) {
            spec = spec.path(step);
        }
        if (!spec.isObject()) {
            return;
        }
        for (String list : CONTAINER_LISTS) {
            JsonNode containers = spec.path(list);
            if (containers instanceof MissingNode || containers.isNull()) {
                continue;
            }
            if (!containers.isArray()) {
                throw new ManifestException(key + ": " + list + " must be a sequence, got a "
                        + ReadSession.describe(containers));
            }
            for (int i = 0; i < containers.size(); i++) {
                if (!(containers.get(i) instanceof ObjectNode container)) {
                    throw new ManifestException(key + ": " + list + "[" + i + "] must be a mapping, got a "
                            + ReadSession.describe(containers.get(i)));
                }
                visitor.visit(list, i, container);
            }
        }
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
