package dev.rollbackdeploy.record;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a build deployed. Records are grouped by {@link #key()}: a name the user chooses for one
 * environment (e.g. {@code prod-shop}), so history survives a changed endpoint list or server URL.
 * Only credentials ids are recorded; secrets never enter a record.
 */
public sealed interface Target permits Target.Kubernetes, Target.HAProxy {

    /** Groups records: every record with this key belongs to one history. */
    String key();

    String credentialsId();

    /** One namespace of one Kubernetes cluster. */
    record Kubernetes(String key, String cluster, URI server, String namespace, String credentialsId)
            implements Target {

        private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

        public Kubernetes {
            Checks.name("target key", key, 200);
            Checks.name("kubernetes cluster name", cluster, 253);
            Checks.httpUrl("kubernetes server", server);
            if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
                throw new IllegalArgumentException("kubernetes namespace must be a DNS label (lowercase, digits, '-', "
                        + "at most 63), got " + Checks.quote(namespace));
            }
            Checks.credentialsId("kubernetes credentialsId", credentialsId);
        }
    }

    /** One backend on one or more HAProxy load balancers, changed together. */
    record HAProxy(String key, List<URI> endpoints, String backend, String credentialsId) implements Target {

        public HAProxy {
            Checks.name("target key", key, 200);
            if (endpoints == null || endpoints.isEmpty()) {
                throw new IllegalArgumentException("haproxy endpoints must list at least one load balancer, got "
                        + endpoints);
            }
            endpoints = List.copyOf(endpoints);
            for (URI endpoint : endpoints) {
                Checks.endpoint("haproxy endpoint", endpoint);
            }
            if (new HashSet<>(endpoints).size() != endpoints.size()) {
                throw new IllegalArgumentException("haproxy endpoints must not repeat, got " + endpoints);
            }
            Checks.name("haproxy backend", backend, 200);
            if (backend.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("haproxy backend must not contain spaces, got '" + backend + "'");
            }
            Checks.credentialsId("haproxy credentialsId", credentialsId);
        }
    }
}
