package dev.rollbackdeploy.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Answers registry challenges and remembers the answers: Basic per registry, Bearer tokens per
 * repository (a token's scope names one repository). Follows the Docker token protocol: GET the
 * challenge's realm with {@code service} and {@code scope}, sending the login as Basic auth if there
 * is one, and read {@code token} (or OAuth's {@code access_token}) and {@code expires_in}.
 */
final class RegistryAuth {

    /** The token spec's default lifetime when the server does not say. */
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An Authorization header value and when to stop using it. Never printed. */
    private record Grant(String header, Instant expires) {
        @Override
        public String toString() {
            return "Grant[****, expires=" + expires + "]";
        }
    }

    private final RetryingCaller caller;
    private final RegistryConfig config;
    private final RegistryCredentials credentials;
    private final Clock clock;
    private final ConcurrentMap<String, Grant> grants = new ConcurrentHashMap<>();

    RegistryAuth(RetryingCaller caller, RegistryConfig config, RegistryCredentials credentials, Clock clock) {
        this.caller = caller;
        this.config = config;
        this.credentials = credentials;
        this.clock = clock;
    }

    boolean hasLogin(String registry) {
        return credentials.lookup(registry).isPresent();
    }

    /** The header to send to this repository, if an earlier challenge was answered and is still fresh. */
    Optional<String> cached(String registry, String repository) {
        Instant now = clock.instant();
        return Optional.ofNullable(grants.get(key(registry, repository)))
                .or(() -> Optional.ofNullable(grants.get(key(registry, null))))
                .filter(grant -> now.isBefore(grant.expires()))
                .map(Grant::header);
    }

    /** Answers a challenge and caches the answer, replacing any stale one. */
    void answer(AuthChallenge challenge, String registry, String repository) throws IOException {
        grants.remove(key(registry, repository));
        grants.remove(key(registry, null));
        Optional<RegistryCredentials.Login> login = credentials.lookup(registry);
        if (challenge.isBasic()) {
            RegistryCredentials.Login basic = login.orElseThrow(() -> new IOException("registry " + registry
                    + " requires a login (Basic auth) for " + repository + " and none is configured for " + registry));
            grants.put(key(registry, null), new Grant(basicHeader(basic), Instant.MAX));
            return;
        }
        grants.put(key(registry, repository), fetchToken(challenge, registry, repository, login));
    }

    private Grant fetchToken(AuthChallenge challenge, String registry, String repository,
            Optional<RegistryCredentials.Login> login) throws IOException {
        String realm = challenge.param("realm").orElseThrow(() -> new IOException("registry " + registry
                + " sent a Bearer challenge without a realm; cannot obtain a token"));
        HttpUrl realmUrl = HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new IOException("registry " + registry + " sent a Bearer realm that is not an http(s) URL: '"
                    + realm + "'");
        }
        if (login.isPresent() && !realmUrl.isHttps()
                && !config.isPlainHttp(realmUrl.host() + ":" + realmUrl.port())) {
            throw new IOException("registry " + registry + " asks for the login at " + RetryingCaller.printable(realmUrl)
                    + " over plain HTTP; refusing to send credentials unencrypted (list the host as insecure to allow it)");
        }
        HttpUrl.Builder url = realmUrl.newBuilder();
        challenge.param("service").ifPresent(service -> url.addQueryParameter("service", service));
        url.addQueryParameter("scope", challenge.param("scope").orElse("repository:" + repository + ":pull"));
        Request.Builder request = new Request.Builder().url(url.build()).get()
                .header("User-Agent", OciRegistry.USER_AGENT);
        login.ifPresent(l -> request.header("Authorization", basicHeader(l)));
        Instant asked = clock.instant();
        try (Response response = caller.call(request.build())) {
            ResponseBody body = response.body();
            String text = body.string();
            if (response.code() == 401 || response.code() == 403) {
                throw new IOException(login.isPresent()
                        ? "registry " + registry + " rejected the configured credentials for " + registry
                                + " (token service answered " + response.code() + ")"
                        : "registry " + registry + " refused an anonymous token for " + repository + " (token service answered "
                                + response.code() + "); configure credentials for " + registry);
            }
            if (response.code() != 200) {
                throw new IOException("token service of registry " + registry + " answered " + response.code() + ": "
                        + ErrorBody.parse(response.header("Content-Type"), text).summary());
            }
            return parseToken(text, registry, asked);
        }
    }

    private static Grant parseToken(String text, String registry, Instant asked) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            // The body may hold a token; never quote it.
            throw new IOException("token service of registry " + registry + " answered 200 with a body that is not JSON");
        }
        String token = json.path("token").asText("");
        if (token.isEmpty()) {
            token = json.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new IOException("token service of registry " + registry + " answered 200 without a token");
        }
        long seconds = json.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
        Duration lifetime = Duration.ofSeconds(Math.max(seconds, 1));
        // Stop a little early so a token does not expire between our check and the registry's.
        Duration usable = lifetime.minus(lifetime.dividedBy(10));
        return new Grant("Bearer " + token, asked.plus(usable));
    }

    private static String basicHeader(RegistryCredentials.Login login) {
        return Credentials.basic(login.username(), login.password(), StandardCharsets.UTF_8);
    }

    private static String key(String registry, String repository) {
        return repository == null ? registry + " *" : registry + " " + repository;
    }
}
