package dev.rollbackdeploy.manifest;

import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Identity of one object in a release, as the API server knows it: API group ("" for the core
 * group), kind, namespace ("" for cluster-scoped objects) and name. Two objects of the same kind and
 * name in different groups (an Istio {@code networking.istio.io} Gateway and a Gateway API
 * {@code gateway.networking.k8s.io} Gateway) are different objects (issue 9, item 10).
 *
 * <p>Orders by kind, namespace, name, then group: the order of the template-set hash. Group comes
 * last so that releases recorded before the group was part of the identity (which could not hold
 * two objects differing only in group) keep their order, and so their set hash.
 */
public record ObjectKey(String group, String kind, String namespace, String name) implements Comparable<ObjectKey> {

    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]{0,62}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Comparator<ObjectKey> ORDER = Comparator.comparing(ObjectKey::kind)
            .thenComparing(ObjectKey::namespace).thenComparing(ObjectKey::name).thenComparing(ObjectKey::group);

    /**
     * Groups the API server serves the same objects under: a Deployment written as
     * {@code extensions/v1beta1} is the very object {@code apps/v1} reads, so it must not look like
     * a second object (a prune would delete what was just applied).
     */
    private static final Map<String, String> SAME_OBJECTS = Map.of(
            "extensions/Deployment", "apps",
            "extensions/DaemonSet", "apps",
            "extensions/ReplicaSet", "apps",
            "extensions/Ingress", "networking.k8s.io",
            "extensions/NetworkPolicy", "networking.k8s.io",
            "extensions/PodSecurityPolicy", "policy",
            "events.k8s.io/Event", "");

    public ObjectKey {
        if (group == null) {
            group = "";
        }
        if (!group.isEmpty() && !DNS_SUBDOMAIN.matcher(group).matches()) {
            throw new IllegalArgumentException("API group of " + kind + " must be empty (core) or a DNS subdomain "
                    + "like apps or networking.istio.io, got '" + group + "'");
        }
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind must be a capitalised word like Deployment, got '" + kind + "'");
        }
        group = SAME_OBJECTS.getOrDefault(group + "/" + kind, group);
        if (namespace == null) {
            namespace = "";
        }
        if (!namespace.isEmpty() && !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be a DNS label (lowercase, digits, '-', at most 63), got '"
                    + namespace + "'");
        }
        String problem = ObjectNames.problem(group, kind, name);
        if (problem != null) {
            throw new IllegalArgumentException("metadata.name of " + kind + " " + problem);
        }
    }

    /** The key of an object as a manifest writes it: the group is the part of apiVersion before '/'. */
    public static ObjectKey of(String apiVersion, String kind, String namespace, String name) {
        return new ObjectKey(groupOf(apiVersion), kind, namespace, name);
    }

    /**
     * The API group of an apiVersion: "" for {@code v1}, {@code apps} for {@code apps/v1}.
     *
     * @throws IllegalArgumentException not {@code version} or {@code group/version}
     */
    public static String groupOf(String apiVersion) {
        if (apiVersion == null) {
            throw new IllegalArgumentException("apiVersion must be version or group/version, got null");
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (!VERSION.matcher(version).matches() || (slash >= 0 && !DNS_SUBDOMAIN.matcher(group).matches())) {
            throw new IllegalArgumentException("apiVersion must be version or group/version (like v1 or apps/v1), got '"
                    + apiVersion + "'");
        }
        return group;
    }

    /** True when an object written with this apiVersion has this key's group. */
    public boolean matchesApiVersion(String apiVersion) {
        return new ObjectKey(groupOf(apiVersion), kind, namespace, name).group().equals(group);
    }

    @Override
    public int compareTo(ObjectKey other) {
        return ORDER.compare(this, other);
    }

    /**
     * {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped; the kind carries its
     * group as kubectl writes it ({@code Deployment.apps/shop/web}) unless it is the core group.
     */
    @Override
    public String toString() {
        String type = group.isEmpty() ? kind : kind + "." + group;
        return namespace.isEmpty() ? type + "/" + name : type + "/" + namespace + "/" + name;
    }
}
