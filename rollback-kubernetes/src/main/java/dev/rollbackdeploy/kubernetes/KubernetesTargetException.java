package dev.rollbackdeploy.kubernetes;

/**
 * A Kubernetes target described wrongly: a kubeconfig that is not there, a context it does not have,
 * a namespace that does not exist, a workload the manifests do not contain. Raised before any lock
 * or write. The message names the field, the value and what would be right; it never holds a
 * credential (kubeconfig contents are never quoted). Shells map it to their "bad input" answer
 * (the CLI's exit 2, a Jenkins {@code AbortException}).
 */
public final class KubernetesTargetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    /**
     * @param field the spec field at fault, e.g. {@code kubernetes.context}
     * @param value its value as given (never a credential)
     * @param what  what is wrong and what would be right
     */
    public KubernetesTargetException(String field, String value, String what) {
        super(field + " '" + value + "' " + what);
        this.field = field;
        this.value = value;
    }

    /** The spec field at fault, e.g. {@code kubernetes.namespace}. */
    public String field() {
        return field;
    }

    /** The value given for it. */
    public String value() {
        return value;
    }
}
