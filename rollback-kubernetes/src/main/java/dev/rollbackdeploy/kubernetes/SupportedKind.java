package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.List;
import java.util.Optional;

/**
 * A kind of object this adapter manages, with the API version it is read and written at.
 *
 * @param workload whether it runs pods whose rollout {@code isReady} checks
 */
record SupportedKind(String apiVersion, String kind, boolean workload) {

    static final List<SupportedKind> ALL = List.of(
            new SupportedKind("v1", "ConfigMap", false),
            new SupportedKind("v1", "Secret", false),
            new SupportedKind("v1", "ServiceAccount", false),
            new SupportedKind("v1", "PersistentVolumeClaim", false),
            new SupportedKind("v1", "Service", false),
            new SupportedKind("apps/v1", "Deployment", true),
            new SupportedKind("apps/v1", "StatefulSet", true),
            new SupportedKind("apps/v1", "DaemonSet", true),
            new SupportedKind("networking.k8s.io/v1", "Ingress", false),
            new SupportedKind("gateway.networking.k8s.io/v1", "HTTPRoute", false));

    SupportedKind {
        if (apiVersion == null || apiVersion.isBlank() || kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("supported kind needs apiVersion and kind, got '" + apiVersion + "' '" + kind + "'");
        }
    }

    /** Matched by group as well as kind: a custom resource called Deployment is not apps/v1's (issue 9, item 10). */
    static Optional<SupportedKind> of(ObjectKey key) {
        return ALL.stream().filter(k -> k.kind().equals(key.kind())
                && ObjectKey.groupOf(k.apiVersion()).equals(key.group())).findFirst();
    }

    /** The kind, or a clear refusal naming the kinds that are supported. */
    static SupportedKind require(ObjectKey key) {
        return of(key).orElseThrow(() -> new IllegalArgumentException("kind must be one of "
                + ALL.stream().map(SupportedKind::kind).toList() + " in their API groups, got " + key));
    }
}
