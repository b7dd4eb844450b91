package dev.rollbackdeploy.plan;

import java.util.List;

/**
 * The order objects are applied in: what others refer to comes first (namespaces, accounts, config,
 * storage), workloads next, what routes traffic to them last, so that a route never points at a
 * workload that is not there yet. Close to Helm's install order; unknown kinds go between workloads
 * and routes.
 */
final class ApplyOrder {

    private static final List<String> KINDS = List.of(
            "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
            "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
            "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Service", "DaemonSet", "Pod", "ReplicaSet", "Deployment", "Rollout", "HorizontalPodAutoscaler",
            "StatefulSet", "Job", "CronJob");
    private static final List<String> ROUTES = List.of("Ingress", "HTTPRoute", "GRPCRoute", "APIService");

    private ApplyOrder() {
    }

    static int rank(String kind) {
        int known = KINDS.indexOf(kind);
        if (known >= 0) {
            return known;
        }
        int route = ROUTES.indexOf(kind);
        return route >= 0 ? KINDS.size() + 1 + route : KINDS.size();
    }
}
