package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Retries, fallbacks and answers that are not what a registry should send. */
class OciRegistryResilienceMockTest {

    private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final MockRegistry mock = new MockRegistry();
    private final OciRegistry registry = mock.registry(RegistryCredentials.none());

    OciRegistryResilienceMockTest() throws IOException {
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    @Test
    void rateLimitIsRetriedAfterTheAskedDelay() throws Exception {
        mock.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1"));
        mock.enqueue(MockRegistry.manifestHead());

        assertThat(registry.resolve(mock.image("acme/shop:v1"))).hasToString(MockRegistry.DIGEST);

        assertThat(mock.sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackoff() throws Exception {
        mock.enqueue(new MockResponse.Builder().code(500));
        mock.enqueue(new MockResponse.Builder().code(503));
        mock.enqueue(MockRegistry.manifestHead());

        assertThat(registry.resolve(mock.image("acme/shop:v1"))).hasToString(MockRegistry.DIGEST);

        assertThat(mock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void persistentServerErrorsGiveUpAfterMaxAttempts() {
        for (int i = 0; i < 3; i++) {
            mock.enqueue(new MockResponse.Builder().code(502));
        }

        assertThatThrownBy(() -> registry.resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageMatching("registry answered 502 .* to HEAD http://127\\.0\\.0\\.1:\\d+/v2/acme/shop/manifests/v1"
                        + " 3 times; giving up");
        assertThat(mock.sleeps).hasSize(2);
    }

    @Test
    void retryAfterLongerThanTheCapFailsAtOnce() {
        mock.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600"));

        assertThatThrownBy(() -> registry.resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("asks to retry after 3600 s, longer than the 1 s we wait");
        assertThat(mock.sleeps).isEmpty();
    }

    @Test
    void connectionFailuresAreRetriedThenReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OciRegistry unreachable = mock.registry(RegistryCredentials.none());

        assertThatThrownBy(() -> unreachable.resolve(dev.rollbackdeploy.image.ImageRef.parse(
                "127.0.0.1:" + closedPort + "/acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("registry could not be reached for HEAD http://127.0.0.1:" + closedPort
                        + "/v2/acme/shop/manifests/v1 after 3 attempts: ConnectException");
        assertThat(mock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void interruptDuringBackoffStopsAndKeepsTheFlag() {
        mock.enqueue(new MockResponse.Builder().code(503));
        RegistryConfig config = RegistryConfig.defaults().withRetries(3, Duration.ofMillis(100), Duration.ofSeconds(1));
        OciRegistry interrupted = new OciRegistry(OciRegistry.clientFor(config), config, RegistryCredentials.none(),
                wait -> {
                    throw new InterruptedException("build aborted");
                }, mock.clock);

        try {
            assertThatThrownBy(() -> interrupted.resolve(mock.image("acme/shop:v1")))
                    .isInstanceOf(InterruptedIOException.class)
                    .hasMessageStartingWith("interrupted while waiting to retry HEAD");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(mock.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void headWithoutDigestHeaderFallsBackToGetAndHashesTheBytes() throws Exception {
        mock.enqueue(new MockResponse.Builder().code(200));
        mock.enqueue(manifestBody("application/vnd.oci.image.manifest.v1+json", MANIFEST));

        assertThat(registry.resolve(mock.image("acme/shop:v1"))).isEqualTo(Digest.sha256Of(MANIFEST));

        assertThat(mock.take().getMethod()).isEqualTo("HEAD");
        RecordedRequest get = mock.take();
        assertThat(get.getMethod()).isEqualTo("GET");
        assertThat(get.getHeaders().get("Accept")).contains(
                "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.distribution.manifest.list.v2+json");
    }

    @Test
    void headNotAllowedFallsBackToGet() throws Exception {
        mock.enqueue(new MockResponse.Builder().code(405));
        mock.enqueue(manifestBody("application/vnd.docker.distribution.manifest.list.v2+json", MANIFEST));

        assertThat(registry.resolve(mock.image("acme/shop:v1"))).isEqualTo(Digest.sha256Of(MANIFEST));
    }

    @Test
    void digestHeaderDisagreeingWithTheBodyIsRefused() {
        mock.enqueue(new MockResponse.Builder().code(200));
        mock.enqueue(manifestBody("application/vnd.oci.image.manifest.v1+json", MANIFEST)
                .addHeader("Docker-Content-Digest", MockRegistry.DIGEST));

        assertThatThrownBy(() -> registry.resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is " + MockRegistry.DIGEST + " but the manifest it sent hashes to "
                        + Digest.sha256Of(MANIFEST));
    }

    static Stream<Arguments> badAnswers() {
        String html = "<!DOCTYPE html><html><head><title>Sign in - Corp Proxy</title></head><body>...</body></html>";
        return Stream.of(
                Arguments.of("200 HTML login page", 200, "text/html; charset=utf-8", html, IOException.class,
                        "with content type 'text/html; charset=utf-8', not a manifest: an HTML page titled"
                                + " 'Sign in - Corp Proxy' instead of a registry answer"),
                Arguments.of("400 HTML error page", 400, "text/html", html, IOException.class,
                        "answered 400 to GET"),
                Arguments.of("400 HTML error page, named", 400, "text/html", html, IOException.class,
                        "an HTML page titled 'Sign in - Corp Proxy'"),
                Arguments.of("404 NAME_UNKNOWN", 404, "application/json",
                        "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}",
                        ImageNotFoundException.class, "NAME_UNKNOWN: repository name not known to registry"),
                Arguments.of("400 MANIFEST_UNKNOWN", 400, "application/json",
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}",
                        ImageNotFoundException.class, "MANIFEST_UNKNOWN: manifest unknown"),
                Arguments.of("400 malformed JSON", 400, "application/json", "{\"errors\":[", IOException.class,
                        "malformed JSON: {\"errors\":["));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void badAnswersBecomeClearExceptions(String row, int code, String type, String body,
            Class<? extends IOException> expected, String message) {
        mock.enqueue(new MockResponse.Builder().code(405));
        mock.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", type).body(body));

        assertThatThrownBy(() -> registry.resolve(mock.image("acme/shop:v1")))
                .isExactlyInstanceOf(expected)
                .hasMessageContaining(message);
    }

    @Test
    void malformedDigestHeaderIsNamed() {
        mock.enqueue(new MockResponse.Builder().code(200).addHeader("Docker-Content-Digest", "sha256:short"));

        assertThatThrownBy(() -> registry.resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sent a malformed Docker-Content-Digest")
                .hasMessageContaining("'short'");
    }

    private static MockResponse.Builder manifestBody(String type, byte[] bytes) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", type)
                .body(new okio.Buffer().write(bytes));
    }
}
