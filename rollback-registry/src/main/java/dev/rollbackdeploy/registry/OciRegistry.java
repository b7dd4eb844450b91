package dev.rollbackdeploy.registry;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageNotFoundException;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.image.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@link Registry} over the OCI distribution API ({@code /v2/<name>/manifests/<reference>}). Asks
 * with HEAD and reads {@code Docker-Content-Digest}; when a registry leaves that header out (the spec
 * only says SHOULD) or refuses HEAD, it GETs the manifest and hashes the exact bytes, which is what
 * the digest is defined over. Thread-safe; share one per process so tokens are reused.
 */
public final class OciRegistry implements Registry {

    static final String USER_AGENT = "rollback-deploy";
    /** Every manifest kind an image reference can name; without these, registries may down-convert. */
    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    /** The distribution spec lets registries refuse manifests over 4 MiB; anything bigger is not a manifest. */
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private final RegistryConfig config;
    private final RetryingCaller caller;
    private final RegistryAuth auth;
    private final ManifestClient manifests = new ManifestClient();

    public OciRegistry(RegistryConfig config, RegistryCredentials credentials) {
        this(clientFor(config), config, credentials, Sleeper.REAL, Clock.systemUTC());
    }

    public OciRegistry(OkHttpClient client, RegistryConfig config, RegistryCredentials credentials, Sleeper sleeper,
            Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.caller = new RetryingCaller(client, config, sleeper, clock);
        this.auth = new RegistryAuth(caller, config, Objects.requireNonNull(credentials, "credentials"), clock);
    }

    /** An OkHttp client with the config's timeouts. */
    public static OkHttpClient clientFor(RegistryConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .callTimeout(config.callTimeout())
                .build();
    }

    @Override
    public Digest resolve(ImageRef image) throws IOException {
        String reference = image.digest() != null ? image.digest().toString() : image.tag();
        ManifestAnswer head = manifests.send(image, "HEAD", reference);
        if (head.code() == 404) {
            throw notFound(image, head);
        }
        if (head.code() == 200 && image.digest() != null) {
            return image.digest();
        }
        if (head.code() == 200 && head.digestHeader() != null) {
            return parseDigestHeader(image, head.digestHeader());
        }
        if (head.code() != 200 && head.code() != 405) {
            throw unexpected(image, head);
        }
        ManifestAnswer get = manifests.send(image, "GET", reference);
        if (get.code() != 200) {
            throw unexpected(image, get);
        }
        return digestOfBody(image, get);
    }

    @Override
    public boolean exists(ImageRef image, Digest digest) throws IOException {
        Objects.requireNonNull(digest, "digest");
        ManifestAnswer head = manifests.send(image, "HEAD", digest.toString());
        if (head.code() == 200) {
            return true;
        }
        if (head.code() == 404) {
            return false;
        }
        if (head.code() != 405) {
            throw unexpected(image, head);
        }
        ManifestAnswer get = manifests.send(image, "GET", digest.toString());
        if (get.code() == 200) {
            return true;
        }
        if (get.isNotFound()) {
            return false;
        }
        throw unexpected(image, get);
    }

    /** One manifest request with the challenge dance: try, answer a 401 once, try again. */
    private final class ManifestClient {

        ManifestAnswer send(ImageRef image, String method, String reference) throws IOException {
            HttpUrl url = config.baseUrl(image.registry()).newBuilder()
                    .addPathSegment("v2").addPathSegments(image.repository())
                    .addPathSegment("manifests").addPathSegment(reference).build();
            boolean answeredChallenge = false;
            while (true) {
                Request.Builder request = new Request.Builder().url(url).method(method, null)
                        .header("Accept", ACCEPT).header("User-Agent", USER_AGENT);
                auth.cached(image.registry(), image.repository()).ifPresent(h -> request.header("Authorization", h));
                try (Response response = caller.call(request.build())) {
                    int code = response.code();
                    if (code == 401 && !answeredChallenge) {
                        AuthChallenge challenge = AuthChallenge.choose(response.headers("WWW-Authenticate"))
                                .orElseThrow(() -> new IOException("registry " + image.registry() + " answered 401 to "
                                        + method + " " + RetryingCaller.printable(url) + " without a Bearer or Basic challenge"));
                        auth.answer(challenge, image.registry(), image.repository());
                        answeredChallenge = true;
                        continue;
                    }
                    if (code == 401 || code == 403) {
                        throw denied(image, code);
                    }
                    return ManifestAnswer.read(method, url, response, MAX_MANIFEST_BYTES);
                }
            }
        }

        private IOException denied(ImageRef image, int code) {
            String registry = image.registry();
            if (auth.hasLogin(registry)) {
                return new IOException("registry " + registry + " rejected the configured credentials for " + registry
                        + " when reading " + image.name() + " (HTTP " + code + "); check the login, its permissions"
                        + " on the repository, and that the repository exists");
            }
            return new IOException("registry " + registry + " denied anonymous access to " + image.name()
                    + " (HTTP " + code + "); configure credentials for " + registry
                    + " or check that the repository exists");
        }
    }

    private static Digest parseDigestHeader(ImageRef image, String header) throws IOException {
        try {
            return Digest.parse(header.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("registry " + image.registry() + " sent a malformed Docker-Content-Digest for "
                    + image + ": " + e.getMessage(), e);
        }
    }

    private static Digest digestOfBody(ImageRef image, ManifestAnswer get) throws IOException {
        String type = get.contentType() == null ? "" : get.contentType().toLowerCase(Locale.ROOT);
        if (!type.contains("json")) {
            ErrorBody body = ErrorBody.parse(get.contentType(), new String(get.body(), StandardCharsets.UTF_8));
            throw new IOException("registry " + image.registry() + " answered 200 to GET " + get.url()
                    + " with content type '" + get.contentType() + "', not a manifest: " + body.summary());
        }
        Digest computed = Digest.sha256Of(get.body());
        if (get.digestHeader() != null) {
            Digest claimed = parseDigestHeader(image, get.digestHeader());
            if (claimed.algorithm().equals("sha256") && !claimed.equals(computed)) {
                throw new IOException("registry " + image.registry() + " says " + image + " is " + claimed
                        + " but the manifest it sent hashes to " + computed + "; refusing to guess");
            }
            return claimed;
        }
        return computed;
    }

    private static ImageNotFoundException notFound(ImageRef image, ManifestAnswer answer) {
        return new ImageNotFoundException(image, "registry answered " + answer.code() + " to " + answer.method() + " "
                + answer.url() + (answer.error().codes().isEmpty() ? "" : ": " + answer.error().summary()));
    }

    private static IOException unexpected(ImageRef image, ManifestAnswer answer) {
        if (answer.isNotFound()) {
            return notFound(image, answer);
        }
        return new IOException("registry " + image.registry() + " answered " + answer.code() + " to "
                + answer.method() + " " + answer.url() + " for " + image + ": " + answer.error().summary());
    }

    /** Reads a response fully (bounded) so the connection goes back to the pool before we decide. */
    record ManifestAnswer(String method, String url, int code, String contentType, String digestHeader, byte[] body,
            ErrorBody error) {

        static ManifestAnswer read(String method, HttpUrl url, Response response, int limit) throws IOException {
            byte[] body = new byte[0];
            if (!method.equals("HEAD")) {
                try (InputStream in = response.body().byteStream()) {
                    body = in.readNBytes(limit + 1);
                }
                if (body.length > limit) {
                    throw new IOException("registry answered " + method + " " + RetryingCaller.printable(url) + " with more than "
                            + limit + " bytes; a manifest is never that large");
                }
            }
            String contentType = response.header("Content-Type");
            ErrorBody error = response.code() >= 400
                    ? ErrorBody.parse(contentType, new String(body, StandardCharsets.UTF_8)) : ErrorBody.empty();
            return new ManifestAnswer(method, RetryingCaller.printable(url), response.code(), contentType,
                    response.header("Docker-Content-Digest"), body, error);
        }

        boolean isNotFound() {
            return code == 404 || error.says("MANIFEST_UNKNOWN") || error.says("NAME_UNKNOWN");
        }
    }
}
