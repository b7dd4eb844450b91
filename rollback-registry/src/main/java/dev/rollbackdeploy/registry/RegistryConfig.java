package dev.rollbackdeploy.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * How to reach registries: which speak plain HTTP, how long to wait, how often to retry.
 *
 * @param insecureRegistries registries (host or host:port, as in image references) reached over plain HTTP
 * @param plainHttpForLoopback whether localhost, 127.0.0.0/8 and [::1] use plain HTTP without being listed
 *                             (Docker treats them as insecure too)
 * @param connectTimeout  TCP connect limit
 * @param readTimeout     limit between bytes of a response
 * @param callTimeout     limit for one whole HTTP exchange
 * @param maxAttempts     tries per request for connection errors, 429 and 5xx (1 = no retry)
 * @param initialBackoff  wait before the second try; doubles each time
 * @param maxBackoff      cap on one wait, also the longest Retry-After we honour
 */
public record RegistryConfig(Set<String> insecureRegistries, boolean plainHttpForLoopback,
        Duration connectTimeout, Duration readTimeout, Duration callTimeout,
        int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Docker Hub's API does not live at the name people write in image references. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private static final Pattern LOOPBACK = Pattern.compile(
            "(localhost|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[::1\\])(:\\d+)?");

    public RegistryConfig {
        insecureRegistries = insecureRegistries == null ? Set.of()
                : insecureRegistries.stream().map(r -> r.strip().toLowerCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet());
        positive("connectTimeout", connectTimeout);
        positive("readTimeout", readTimeout);
        positive("callTimeout", callTimeout);
        positive("initialBackoff", initialBackoff);
        positive("maxBackoff", maxBackoff);
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("registry maxAttempts must be 1..10, got " + maxAttempts);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("registry maxBackoff must be at least initialBackoff ("
                    + initialBackoff + "), got " + maxBackoff);
        }
    }

    /** HTTPS everywhere except loopback; 5 s connect, 15 s read, 30 s per call; 4 tries, 0.5 s doubling to 10 s. */
    public static RegistryConfig defaults() {
        return new RegistryConfig(Set.of(), true, Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(30), 4, Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    public RegistryConfig withInsecureRegistries(Set<String> registries) {
        return new RegistryConfig(registries, plainHttpForLoopback, connectTimeout, readTimeout, callTimeout,
                maxAttempts, initialBackoff, maxBackoff);
    }

    public RegistryConfig withRetries(int attempts, Duration initial, Duration max) {
        return new RegistryConfig(insecureRegistries, plainHttpForLoopback, connectTimeout, readTimeout,
                callTimeout, attempts, initial, max);
    }

    /** The API root for a registry as image references name it, e.g. {@code https://registry-1.docker.io/}. */
    public HttpUrl baseUrl(String registry) {
        String host = registry.toLowerCase(Locale.ROOT);
        if (host.equals("docker.io") || host.equals("index.docker.io")) {
            host = DOCKER_HUB_API;
        }
        String scheme = isPlainHttp(registry) ? "http" : "https";
        HttpUrl url = HttpUrl.parse(scheme + "://" + host + "/");
        if (url == null) {
            throw new IllegalArgumentException("registry must be host[:port], got '" + registry + "'");
        }
        return url;
    }

    /** Whether this registry (or a token realm on this host:port) is reached without TLS by our choice. */
    public boolean isPlainHttp(String hostAndPort) {
        String key = hostAndPort.toLowerCase(Locale.ROOT);
        String hostOnly = key.startsWith("[") ? key.substring(0, key.indexOf(']') + 1)
                : key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
        return insecureRegistries.contains(key) || insecureRegistries.contains(hostOnly)
                || (plainHttpForLoopback && LOOPBACK.matcher(key).matches());
    }

    Duration backoff(int failedAttempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failedAttempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("registry " + field + " must be positive, got " + value);
        }
    }
}
