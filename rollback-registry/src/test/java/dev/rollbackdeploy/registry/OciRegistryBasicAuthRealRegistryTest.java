package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.ImageRef;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against docker-registry with htpasswd (bcrypt) Basic auth, which answers 401 with a Basic challenge. */
class OciRegistryBasicAuthRealRegistryTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    static Path dir;
    private static RegistryProcess server;
    private static ImagePusher.Pushed pushed;

    @BeforeAll
    static void startRegistry() throws Exception {
        server = RegistryProcess.start(dir, USER, PASSWORD);
        pushed = new ImagePusher(server.baseUrl(), USER, PASSWORD).pushImage("acme/private", "v1", "private layer");
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void resolvesWithTheConfiguredLogin() throws IOException {
        OciRegistry registry = registryWith(RegistryCredentials.none()
                .with(server.host(), new RegistryCredentials.Login(USER, PASSWORD)));

        assertThat(registry.resolve(image())).isEqualTo(pushed.digest());
        assertThat(registry.exists(image(), pushed.digest())).isTrue();
    }

    @Test
    void wrongPasswordIsReportedAsRejectedCredentialsWithoutShowingThem() {
        OciRegistry registry = registryWith(RegistryCredentials.none()
                .with(server.host(), new RegistryCredentials.Login(USER, "wrong-" + PASSWORD)));

        assertThatThrownBy(() -> registry.resolve(image()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("registry " + server.host() + " rejected the configured credentials")
                .hasMessageContaining("HTTP 401")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void missingLoginSaysWhichRegistryNeedsOne() {
        OciRegistry registry = registryWith(RegistryCredentials.none());

        assertThatThrownBy(() -> registry.resolve(image()))
                .isInstanceOf(IOException.class)
                .hasMessage("registry " + server.host() + " requires a login (Basic auth) for acme/private and none is"
                        + " configured for " + server.host());
    }

    private static OciRegistry registryWith(RegistryCredentials credentials) {
        return new OciRegistry(RegistryConfig.defaults(), credentials);
    }

    private static ImageRef image() {
        return ImageRef.parse(server.host() + "/acme/private:v1");
    }
}
