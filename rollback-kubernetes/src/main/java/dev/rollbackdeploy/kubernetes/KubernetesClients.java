package dev.rollbackdeploy.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Builds fabric8 clients the way this adapter needs them: no automatic configuration from the
 * environment (a Jenkins agent's ~/.kube must not silently pick the cluster), and fabric8's own
 * retries off, because {@link Retrying} owns retrying. Tokens never appear in messages.
 */
public final class KubernetesClients {

    /**
     * How long one API request may take, answer included, before it fails as a connection failure
     * that {@link Retrying} retries. Long enough for a large list of one namespace (our calls never watch);
     * a stalled server costs this much per attempt.
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private KubernetesClients() {
    }

    /**
     * A client for a kubeconfig file: {@link KubernetesConnection#kubeconfigFile} (one implementation
     * of reading kubeconfigs, with its checks).
     *
     * @param context the context to use, or null for the file's current context
     * @throws KubernetesTargetException the file does not exist, is not a kubeconfig, or lacks the context
     */
    public static KubernetesClient fromKubeconfig(Path kubeconfig, String context) {
        return KubernetesConnection.kubeconfigFile(kubeconfig, context).connect();
    }

    /**
     * A client for an API server URL, a bearer token and (for https) the server's CA certificate.
     *
     * @param caCertificatePem PEM text of the CA, or null to use the JVM's trust store
     */
    public static KubernetesClient forServer(URI server, String token, String caCertificatePem) {
        return forServer(server, token, caCertificatePem, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * The same, with a request timeout of its own: each request (sending, waiting, reading the answer)
     * fails after this long, so a server that accepts a request and never answers costs one timeout
     * per attempt instead of hanging the restore.
     */
    public static KubernetesClient forServer(URI server, String token, String caCertificatePem,
            Duration requestTimeout) {
        requireTimeout(requestTimeout);
        if (server == null || !("https".equals(server.getScheme()) || "http".equals(server.getScheme()))
                || server.getHost() == null || server.getUserInfo() != null) {
            String shown = server == null ? "null" : withoutUserInfo(server);
            throw new IllegalArgumentException("API server must be an http(s) URL with a host and no user info, got '"
                    + shown + "'");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("API server token must not be blank");
        }
        ConfigBuilder config = new ConfigBuilder(Config.empty())
                .withMasterUrl(server.toString())
                .withOauthToken(token.strip());
        if (caCertificatePem != null) {
            if (!caCertificatePem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new IllegalArgumentException("CA certificate must be PEM text starting with "
                        + "'-----BEGIN CERTIFICATE-----', got " + caCertificatePem.length() + " characters without it");
            }
            config.withCaCertData(Base64.getEncoder().encodeToString(caCertificatePem.getBytes(StandardCharsets.US_ASCII)));
        }
        return build(config, requestTimeout);
    }

    static void requireTimeout(Duration requestTimeout) {
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()
                || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("request timeout must be more than 0 and at most 10 minutes, got "
                    + requestTimeout);
        }
    }

    /** User info may carry a password: never print it. */
    private static String withoutUserInfo(URI server) {
        if (server.getUserInfo() == null) {
            return server.toString();
        }
        return server.getScheme() + "://" + server.getHost() + (server.getPort() < 0 ? "" : ":" + server.getPort())
                + (server.getRawPath() == null ? "" : server.getRawPath());
    }

    static KubernetesClient build(ConfigBuilder config, Duration requestTimeout) {
        // The HTTP client is named, not found by ServiceLoader: inside Jenkins the plugin class loader
        // may not see fabric8's META-INF/services, and only the OkHttp one is on our class path anyway.
        return new KubernetesClientBuilder()
                .withConfig(config.withRequestRetryBackoffLimit(0).withRequestTimeout((int) requestTimeout.toMillis())
                        .build())
                .withHttpClientFactory(new OkHttpClientFactory())
                .build();
    }
}
