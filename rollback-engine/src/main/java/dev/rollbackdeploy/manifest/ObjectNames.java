package dev.rollbackdeploy.manifest;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code metadata.name} rules by kind, as the API server applies them, and no stricter: most kinds
 * need a DNS subdomain, but RBAC kinds accept any path segment (Kubernetes' {@code ValidateRBACName}
 * is {@code path.IsValidPathSegmentName}), so {@code system:controller:job-controller} and
 * MetalLB's {@code metallb-system:controller} are valid (issue 9, item 9). Custom resources are DNS
 * subdomains, as the apiextensions server checks them.
 */
final class ObjectNames {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final Set<String> RBAC_KINDS = Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

    private ObjectNames() {
    }

    /** What is wrong with the name, phrased to follow "metadata.name of Kind ", or null when valid. */
    static String problem(String group, String kind, String name) {
        if (RBAC.equals(group) && RBAC_KINDS.contains(kind)) {
            return pathSegmentProblem(name);
        }
        if (name == null || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return "must be a DNS subdomain (lowercase, digits, '-', '.', at most 253), got '" + name + "'";
        }
        return null;
    }

    private static String pathSegmentProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty, got '" + name + "'";
        }
        if (name.equals(".") || name.equals("..")) {
            return "may not be '" + name + "' (it must be usable as one URL path segment)";
        }
        if (name.contains("/") || name.contains("%")) {
            return "may not contain '/' or '%' (it must be usable as one URL path segment), got '" + name + "'";
        }
        return null;
    }
}
