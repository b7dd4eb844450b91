package dev.rollbackdeploy.kubernetes;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach a cluster, as a user describes it: a kubeconfig file and a context, a kubeconfig's
 * content (how a Jenkins secret-file credential arrives), or the pod's own service account.
 * {@link #connect()} checks the description offline (the file exists, the context is in it) and
 * builds a client through {@link KubernetesClients}; it sends no request. {@link #toString()} says
 * where the credentials come from, never what they are.
 *
 * <p>Only public fabric8 API is used ({@code Config.fromKubeconfig}, {@code Config.getContexts},
 * {@code OAuthTokenProvider}), so this keeps working on the fabric8 the Jenkins
 * kubernetes-client-api plugin ships.
 */
public final class KubernetesConnection {

    /** Where a pod's service account is mounted (Kubernetes documentation, "Accessing the API from a pod"). */
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private enum Source { FILE, CONTENT, IN_CLUSTER }

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Source source;
    private final Path path;
    private final String content;
    private final String origin;
    private final String context;
    private final Map<String, String> env;
    private final Path serviceAccount;

    private KubernetesConnection(Source source, Path path, String content, String origin, String context,
            Map<String, String> env, Path serviceAccount) {
        this.source = source;
        this.path = path;
        this.content = content;
        this.origin = origin;
        this.context = context == null || context.isBlank() ? null : context.strip();
        this.env = env;
        this.serviceAccount = serviceAccount;
    }

    /**
     * A kubeconfig file.
     *
     * @param context the context to use, or null for the file's {@code current-context}
     */
    public static KubernetesConnection kubeconfigFile(Path kubeconfig, String context) {
        if (kubeconfig == null) {
            throw new KubernetesTargetException("kubernetes.kubeconfig", "null", "must be the path of a kubeconfig file");
        }
        return new KubernetesConnection(Source.FILE, kubeconfig, null, kubeconfig.toString(), context, null, null);
    }

    /**
     * A kubeconfig's content, e.g. a Jenkins secret-file credential's bytes.
     *
     * @param origin where it came from, for messages (e.g. {@code credentials 'prod-kubeconfig'}); never the content
     * @param context the context to use, or null for the content's {@code current-context}
     */
    public static KubernetesConnection kubeconfigContent(String content, String origin, String context) {
        if (origin == null || origin.isBlank()) {
            throw new IllegalArgumentException("origin of kubeconfig content must name where it came from, got '"
                    + origin + "'");
        }
        if (content == null || content.isBlank()) {
            throw new KubernetesTargetException("kubernetes.kubeconfig", origin, "is empty; it must be a kubeconfig");
        }
        return new KubernetesConnection(Source.CONTENT, null, content, origin, context, null, null);
    }

    /** The service account of the pod this runs in (a Jenkins agent pod, a CI job in the cluster). */
    public static KubernetesConnection inCluster() {
        return inCluster(System.getenv(), SERVICE_ACCOUNT);
    }

    /** The same with the environment and mount given: tests, and nothing else. */
    static KubernetesConnection inCluster(Map<String, String> env, Path serviceAccount) {
        return new KubernetesConnection(Source.IN_CLUSTER, null, null, "in-cluster service account", null,
                Map.copyOf(env), serviceAccount);
    }

    /**
     * Builds a client; sends no request.
     *
     * @throws KubernetesTargetException the kubeconfig does not exist or cannot be read as one, the
     *                                   context is not in it (the message lists those it has), or
     *                                   this is not a pod
     */
    public KubernetesClient connect() {
        return connect(KubernetesClients.DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * The same with a request timeout of its own (see {@link KubernetesClients#forServer(java.net.URI, String,
     * String, Duration)}).
     */
    public KubernetesClient connect(Duration requestTimeout) {
        KubernetesClients.requireTimeout(requestTimeout);
        return switch (source) {
            case FILE -> fromKubeconfig(readFile(), path.toAbsolutePath().toString(), requestTimeout);
            case CONTENT -> fromKubeconfig(content, null, requestTimeout);
            case IN_CLUSTER -> inClusterClient(requestTimeout);
        };
    }

    private String readFile() {
        if (!Files.isRegularFile(path)) {
            throw new KubernetesTargetException("kubernetes.kubeconfig", path.toString(),
                    Files.exists(path) ? "is not a file; it must be a kubeconfig file" : "does not exist; it must be a kubeconfig file");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new KubernetesTargetException("kubernetes.kubeconfig", path.toString(), "cannot be read ("
                    + e.getClass().getSimpleName() + "); it must be a readable kubeconfig file");
        }
    }

    private KubernetesClient fromKubeconfig(String text, String file, Duration requestTimeout) {
        Config config;
        try {
            // Parsed first as it is, to learn which contexts exist: given an unknown context fabric8 falls
            // back silently, and a deploy must never go to a cluster nobody named. Parsing runs exec
            // credential plugins, so a second parse happens only for a context other than the current one.
            Config current = Config.fromKubeconfig(null, text, file);
            List<String> contexts = contextNames(current);
            String currentName = current.getCurrentContext() == null ? null : current.getCurrentContext().getName();
            // fabric8 drops a current-context that names no context; the file's own value says which one.
            String named = SERIALIZATION.unmarshal(text, io.fabric8.kubernetes.api.model.Config.class).getCurrentContext();
            String wanted = context != null ? context : named != null && !named.isBlank() ? named : currentName;
            if (wanted == null || wanted.isBlank()) {
                throw new KubernetesTargetException("kubernetes.context", "(none)", "must be one of " + contexts
                        + ": kubeconfig " + origin + " sets no current-context");
            }
            if (!contexts.contains(wanted)) {
                throw new KubernetesTargetException("kubernetes.context", wanted, "is not in kubeconfig " + origin
                        + "; it has " + contexts);
            }
            config = wanted.equals(currentName) ? current : Config.fromKubeconfig(wanted, text, file);
        } catch (KubernetesTargetException e) {
            throw e;
        } catch (RuntimeException e) {
            // Neither the parser's message nor the cause: YAML errors quote the offending line, which may be a token.
            throw new KubernetesTargetException("kubernetes.kubeconfig", origin,
                    "is not a valid kubeconfig (contents not shown: they may hold credentials)");
        }
        try {
            return KubernetesClients.build(new ConfigBuilder(config), requestTimeout);
        } catch (RuntimeException e) {
            // The TLS set-up reads the client key and certificate here; their errors are not shown for the same reason.
            throw new KubernetesTargetException("kubernetes.context", config.getCurrentContext() == null ? "(none)"
                    : config.getCurrentContext().getName(), "has credentials that cannot be used (a client certificate or"
                    + " key that is not valid?); contents not shown");
        }
    }

    private static List<String> contextNames(Config parsed) {
        List<NamedContext> contexts = parsed.getContexts() == null ? List.of() : parsed.getContexts();
        return contexts.stream().map(NamedContext::getName).filter(Objects::nonNull).sorted().toList();
    }

    private KubernetesClient inClusterClient(Duration requestTimeout) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        Path token = serviceAccount.resolve("token");
        if (host == null || host.isBlank() || port == null || port.isBlank() || !Files.isRegularFile(token)) {
            throw new KubernetesTargetException("kubernetes.inCluster", "true", "needs a pod: KUBERNETES_SERVICE_HOST and "
                    + "KUBERNETES_SERVICE_PORT set and a service account token at " + token
                    + "; outside a pod give kubernetes.kubeconfig instead");
        }
        String server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(server)
                // Read on every request: the kubelet rotates bound service-account tokens (about hourly).
                .withOauthTokenProvider(() -> readToken(token));
        Path ca = serviceAccount.resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            config.withCaCertFile(ca.toString());
        }
        return KubernetesClients.build(config, requestTimeout);
    }

    private static String readToken(Path token) {
        try {
            return Files.readString(token, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("service account token " + token + " cannot be read", e);
        }
    }

    /** Where the credentials come from; never what they are. */
    @Override
    public String toString() {
        return switch (source) {
            case FILE, CONTENT -> "kubeconfig " + origin + (context == null ? " (current context)" : " context " + context);
            case IN_CLUSTER -> origin;
        };
    }
}
