package dev.rollbackdeploy.kubernetes;

/**
 * The label and annotations by which this product recognises and describes the objects it manages,
 * and the field manager its writes are recorded under.
 */
final class Marks {

    static final String FIELD_MANAGER = "rollback-deploy";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String MANAGED_BY_VALUE = "rollback-deploy";
    static final String ANNOTATION_PREFIX = "rollback-deploy.io/";
    static final String BUILD_ANNOTATION = ANNOTATION_PREFIX + "build";
    static final String TEMPLATE_HASH_ANNOTATION = ANNOTATION_PREFIX + "template-hash";
    /**
     * Set when the managed-by label was added by us rather than written in the manifest, so that the
     * live object can be turned back into exactly the recorded one.
     */
    static final String LABEL_ADDED_ANNOTATION = ANNOTATION_PREFIX + "label-added";
    static final String LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

    private Marks() {
    }
}
