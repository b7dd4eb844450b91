package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the pod specs of an object and the containers in them. A pod spec is a core Pod's
 * {@code spec}, or the {@code spec} of any {@code template} mapping (a PodTemplateSpec) anywhere in
 * any kind: Deployments and Jobs, but also custom resources such as an Argo Rollout's
 * {@code spec.template} or the jobs of an AnalysisTemplate
 * ({@code spec.metrics[i].provider.job.spec.template}), which issue 9 (item 13) found recorded
 * unpinned. Pod specs at the place every built-in workload keeps its one pod template are named by
 * the empty path; any other is named by its path in the object.
 */
final class PodTemplates {

    /** The three container lists of a pod spec, in the order the kubelet starts them. */
    static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    /** Where built-in workloads keep their pod spec: containers there are named without a path. */
    private static final Set<String> MAIN_PATHS = Set.of("spec", "template.spec", "spec.template.spec",
            "spec.jobTemplate.spec.template.spec");

    /** Built-in workloads whose pod template is checked strictly: a bad container list is an error. */
    private static final Map<String, Set<String>> WORKLOADS = Map.of(
            "Pod", Set.of(""),
            "ReplicationController", Set.of(""),
            "Deployment", Set.of("apps"),
            "StatefulSet", Set.of("apps"),
            "DaemonSet", Set.of("apps"),
            "ReplicaSet", Set.of("apps"),
            "Job", Set.of("batch"),
            "CronJob", Set.of("batch"),
            "Rollout", Set.of("argoproj.io"));

    /** Receives each container of a pod spec, with the pod spec's path ("" for the main one) and list. */
    interface ContainerVisitor {
        void visit(String podSpec, String list, int index, ObjectNode container);
    }

    private PodTemplates() {
    }

    /** Visits every container of every pod spec of the object, in document order. */
    static void forEachContainer(ObjectKey key, JsonNode root, ContainerVisitor visitor) {
        boolean strict = WORKLOADS.getOrDefault(key.kind(), Set.of()).contains(key.group());
        if (key.kind().equals("Pod") && key.group().isEmpty()) {
            visitPodSpec(key, "spec", root.path("spec"), true, visitor);
            return;
        }
        walk(key, "", root, strict, visitor);
    }

    private static void walk(ObjectKey key, String path, JsonNode node, boolean strict, ContainerVisitor visitor) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(key, path + "[" + i + "]", node.get(i), strict, visitor);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getKey().equals("template") && field.getValue().path("spec").isObject()) {
                String specPath = at + ".spec";
                visitPodSpec(key, specPath, field.getValue().get("spec"), strict && MAIN_PATHS.contains(specPath),
                        visitor);
            }
            walk(key, at, field.getValue(), strict, visitor);
        }
    }

    /**
     * @param strict a built-in workload's own pod spec: malformed lists are errors; elsewhere a
     *               mapping that merely looks like a pod template is left alone unless its lists
     *               hold containers
     */
    private static void visitPodSpec(ObjectKey key, String path, JsonNode spec, boolean strict,
            ContainerVisitor visitor) {
        if (!spec.isObject()) {
            return;
        }
        String name = MAIN_PATHS.contains(path) ? "" : path;
        for (String list : CONTAINER_LISTS) {
            JsonNode containers = spec.path(list);
            if (containers instanceof MissingNode || containers.isNull()) {
                continue;
            }
            String where = key + ": " + (name.isEmpty() ? "" : name + ".") + list;
            if (!containers.isArray()) {
                if (!strict) {
                    continue;
                }
                throw new ManifestException(where + " must be a sequence, got a " + ReadSession.describe(containers));
            }
            for (int i = 0; i < containers.size(); i++) {
                if (containers.get(i) instanceof ObjectNode container && (strict || container.has("image"))) {
                    visitor.visit(name, list, i, container);
                } else if (strict) {
                    throw new ManifestException(where + "[" + i + "] must be a mapping, got a "
                            + ReadSession.describe(containers.get(i)));
                }
            }
        }
    }
}
