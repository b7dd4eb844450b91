package dev.rollbackdeploy.jenkins.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * An API server URL and a bearer token written as a one-user kubeconfig (JSON, which every YAML reader
 * reads), so that a token credential reaches the cluster through the same {@code KubernetesConnection}
 * as a kubeconfig credential: one way of building clients, with its checks. The text holds the token:
 * it lives only in memory and is never logged.
 */
final class TokenKubeconfig {

    /** The one context of the generated kubeconfig. */
    static final String CONTEXT = "rollback-deploy";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenKubeconfig() {
    }

    static String of(String serverUrl, String token) {
        Map<String, Object> config = Map.of(
                "apiVersion", "v1",
                "kind", "Config",
                "clusters", List.of(Map.of("name", CONTEXT, "cluster", Map.of("server", serverUrl))),
                "users", List.of(Map.of("name", CONTEXT, "user", Map.of("token", token.strip()))),
                "contexts", List.of(Map.of("name", CONTEXT, "context", Map.of("cluster", CONTEXT, "user", CONTEXT))),
                "current-context", CONTEXT);
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            // maps of strings always serialise; the exception would quote the token, so it is not passed on
            throw new IllegalStateException("cannot write the kubeconfig for " + serverUrl);
        }
    }
}
