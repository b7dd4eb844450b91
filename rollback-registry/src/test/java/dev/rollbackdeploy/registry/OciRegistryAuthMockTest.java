package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.Digest;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The challenge flows: Docker token (Bearer) and Basic, and what happens when a login is refused. */
class OciRegistryAuthMockTest {

    private static final String USER = "robot";
    private static final String PASSWORD = "hunter2-very-secret";
    private static final String BASIC = Credentials.basic(USER, PASSWORD);

    private final MockRegistry mock = new MockRegistry();
    private final RegistryCredentials login = RegistryCredentials.none()
            .with(mock.host(), new RegistryCredentials.Login(USER, PASSWORD));
    private final AtomicInteger tokensIssued = new AtomicInteger();

    OciRegistryAuthMockTest() throws IOException {
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    /** A registry wanting Bearer tokens from its own /token; tokens are numbered so reuse is visible. */
    private void serveTokenRegistry(int tokenStatus, long expiresIn) {
        mock.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getUrl().encodedPath().equals("/token")) {
                    if (tokenStatus != 200) {
                        return new MockResponse.Builder().code(tokenStatus)
                                .body("{\"details\":\"incorrect username or password\"}").build();
                    }
                    int n = tokensIssued.incrementAndGet();
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                            .body("{\"token\":\"tok-" + n + "\",\"expires_in\":" + expiresIn + "}").build();
                }
                String auth = request.getHeaders().get("Authorization");
                if (auth != null && auth.equals("Bearer tok-" + tokensIssued.get())) {
                    return MockRegistry.manifestHead().build();
                }
                return new MockResponse.Builder().code(401)
                        .addHeader("WWW-Authenticate", "Bearer realm=\"http://" + mock.host() + "/token\","
                                + "service=\"mock-registry\",scope=\"repository:acme/shop:pull,push\"")
                        .build();
            }
        });
    }

    @Test
    void bearerChallengeFetchesTokenWithServiceAndScopeThenReusesIt() throws Exception {
        serveTokenRegistry(200, 300);
        OciRegistry registry = mock.registry(login);

        assertThat(registry.resolve(mock.image("acme/shop:v1"))).hasToString(MockRegistry.DIGEST);
        assertThat(registry.exists(mock.image("acme/shop:v1"), Digest.parse(MockRegistry.DIGEST))).isTrue();

        RecordedRequest unauthenticated = mock.take();
        assertThat(unauthenticated.getMethod()).isEqualTo("HEAD");
        assertThat(unauthenticated.getHeaders().get("Authorization")).isNull();
        RecordedRequest token = mock.take();
        assertThat(token.getUrl().queryParameter("service")).isEqualTo("mock-registry");
        assertThat(token.getUrl().queryParameter("scope")).isEqualTo("repository:acme/shop:pull,push");
        assertThat(token.getHeaders().get("Authorization")).isEqualTo(BASIC);
        assertThat(mock.take().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        RecordedRequest reused = mock.take();
        assertThat(reused.getUrl().encodedPath()).endsWith("/manifests/" + MockRegistry.DIGEST);
        assertThat(reused.getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(mock.server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void expiredTokenIsReplaced() throws Exception {
        serveTokenRegistry(200, 60);
        OciRegistry registry = mock.registry(login);
        registry.resolve(mock.image("acme/shop:v1"));

        mock.clock.advance(Duration.ofSeconds(61));
        registry.resolve(mock.image("acme/shop:v1"));

        assertThat(tokensIssued).hasValue(2);
    }

    @Test
    void anonymousTokenIsFetchedWithoutAuthorization() throws Exception {
        serveTokenRegistry(200, 300);

        mock.registry(RegistryCredentials.none()).resolve(mock.image("acme/shop:v1"));

        mock.take();
        assertThat(mock.take().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void tokenServiceRefusingTheLoginSaysCredentialsWereRejectedWithoutShowingThem() {
        serveTokenRegistry(401, 300);

        assertThatThrownBy(() -> mock.registry(login).resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessage("registry " + mock.host() + " rejected the configured credentials for " + mock.host()
                        + " (token service answered 401)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD, BASIC.substring(6)));
    }

    @Test
    void registryRefusingTheTokenSaysCredentialsWereRejected() {
        mock.enqueue(bearerChallenge());
        mock.enqueue(new MockResponse.Builder().code(200).body("{\"access_token\":\"tok-x\"}"));
        mock.enqueue(new MockResponse.Builder().code(403));

        assertThatThrownBy(() -> mock.registry(login).resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("registry " + mock.host() + " rejected the configured credentials for "
                        + mock.host() + " when reading " + mock.host() + "/acme/shop (HTTP 403)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD, "tok-x"));
    }

    @Test
    void basicChallengeIsAnsweredAndThenSentUpFront() throws Exception {
        mock.enqueue(new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=\"mock\""));
        mock.enqueue(MockRegistry.manifestHead());
        mock.enqueue(MockRegistry.manifestHead());
        OciRegistry registry = mock.registry(login);

        registry.resolve(mock.image("acme/shop:v1"));
        registry.resolve(mock.image("acme/other:v1"));

        assertThat(mock.take().getHeaders().get("Authorization")).isNull();
        assertThat(mock.take().getHeaders().get("Authorization")).isEqualTo(BASIC);
        assertThat(mock.take().getHeaders().get("Authorization")).isEqualTo(BASIC);
        assertThat(mock.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void credentialsAreNotSentToAPlainHttpRealmOfAnotherHost() {
        // The registry itself is listed insecure; the realm (same server, other name) is not.
        RegistryConfig config = new RegistryConfig(Set.of(mock.host()), false, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 1, Duration.ofMillis(100), Duration.ofSeconds(1));
        mock.enqueue(new MockResponse.Builder().code(401).addHeader("WWW-Authenticate",
                "Bearer realm=\"http://localhost:" + mock.server.getPort() + "/token\",service=\"x\""));

        assertThatThrownBy(() -> mock.registry(config, login).resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("over plain HTTP; refusing to send credentials unencrypted");
        assertThat(mock.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void challengeWithoutUsableSchemeIsAClearError() {
        mock.enqueue(new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Negotiate"));

        assertThatThrownBy(() -> mock.registry(login).resolve(mock.image("acme/shop:v1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("answered 401 to HEAD")
                .hasMessageEndingWith("without a Bearer or Basic challenge");
    }

    @Test
    void credentialsNeverAppearInToString() {
        assertThat(login.toString()).isEqualTo("RegistryCredentials[" + mock.host() + "=robot:****]")
                .doesNotContain(PASSWORD);
        assertThat(new RegistryCredentials.Login(USER, PASSWORD).toString()).doesNotContain(PASSWORD);
    }

    private MockResponse.Builder bearerChallenge() {
        return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate",
                "Bearer realm=\"http://" + mock.host() + "/token\",service=\"mock-registry\"");
    }
}
