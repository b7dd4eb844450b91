package dev.rollbackdeploy.plan;

import java.util.List;
import java.util.Map;

/**
 * Fields the Kubernetes API server refuses to change in place, by kind. A restore that would change
 * one must delete and re-create the object, which the user has to allow (Argo Rollouts and Helm users
 * report rollbacks failing on exactly these: a Deployment selector, a Service clusterIP, a PVC spec).
 */
final class ImmutableFields {

    private static final Map<String, List<String>> BY_KIND = Map.of(
            "Deployment", List.of("spec.selector"),
            "ReplicaSet", List.of("spec.selector"),
            "DaemonSet", List.of("spec.selector"),
            "StatefulSet", List.of("spec.selector", "spec.serviceName", "spec.volumeClaimTemplates",
                    "spec.podManagementPolicy"),
            "Job", List.of("spec.selector", "spec.template", "spec.completionMode"),
            "Service", List.of("spec.clusterIP", "spec.clusterIPs"),
            "PersistentVolumeClaim", List.of("spec.accessModes", "spec.storageClassName", "spec.volumeName",
                    "spec.volumeMode", "spec.selector", "spec.dataSource"));

    private ImmutableFields() {
    }

    /** The changed fields that cannot be updated in place; empty when an in-place apply works. */
    static List<FieldChange> violations(String kind, boolean liveMarkedImmutable, List<FieldChange> changes) {
        if (liveMarkedImmutable) {
            // ConfigMap/Secret with immutable: true accept no change to their data at all.
            return changes.stream().filter(c -> under(c.path(), "data") || under(c.path(), "binaryData")
                    || under(c.path(), "stringData") || under(c.path(), "immutable")).toList();
        }
        List<String> paths = BY_KIND.getOrDefault(kind, List.of());
        return changes.stream()
                .filter(c -> paths.stream().anyMatch(p -> under(c.path(), p)))
                // A server-assigned value the target leaves out is not a change the apply would make.
                .filter(c -> !kind.equals("Service") || c.after() != null && c.before() != null)
                .toList();
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
    }
}
