package dev.rollbackdeploy.manifest;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Identity of one object in a release: kind, namespace (empty for cluster-scoped objects) and name.
 * Orders by kind, namespace, name, which is the order of the template-set hash.
 */
public record ObjectKey(String kind, String namespace, String name) implements Comparable<ObjectKey> {

    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]{0,62}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Comparator<ObjectKey> ORDER = Comparator.comparing(ObjectKey::kind)
            .thenComparing(ObjectKey::namespace).thenComparing(ObjectKey::name);

    public ObjectKey {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind must be a capitalised word like Deployment, got '" + kind + "'");
        }
        if (namespace == null) {
            namespace = "";
        }
        if (!namespace.isEmpty() && !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be a DNS label (lowercase, digits, '-', at most 63), got '"
                    + namespace + "'");
        }
        if (name == null || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("metadata.name of " + kind
                    + " must be a DNS subdomain (lowercase, digits, '-', '.', at most 253), got '" + name + "'");
        }
    }

    @Override
    public int compareTo(ObjectKey other) {
        return ORDER.compare(this, other);
    }

    /** {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
