package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryCredentialsTest {

    private static final RegistryCredentials.Login HUB = new RegistryCredentials.Login("alice", "hub-secret");
    private static final RegistryCredentials.Login GHCR = new RegistryCredentials.Login("bot", "ghp_token");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "Docker Hub by its reference name, docker.io,             alice",
            "Docker Hub by its old name,       index.docker.io,       alice",
            "Docker Hub by its API host,       registry-1.docker.io,  alice",
            "other registry,                   ghcr.io,               bot",
            "case-insensitive host,            GHCR.io,               bot",
    })
    void looksUpLoginsPerRegistryHost(String row, String registry, String user) {
        RegistryCredentials credentials = RegistryCredentials.of(Map.of("index.docker.io", HUB, "ghcr.io", GHCR));

        assertThat(credentials.lookup(registry)).map(RegistryCredentials.Login::username).contains(user);
    }

    @Test
    void unknownRegistryHasNoLogin() {
        assertThat(RegistryCredentials.of(Map.of("ghcr.io", GHCR)).lookup("quay.io")).isEmpty();
    }

    @Test
    void toStringMasksPasswords() {
        RegistryCredentials credentials = RegistryCredentials.none().with("docker.io", HUB).with("ghcr.io", GHCR);

        assertThat(credentials).hasToString("RegistryCredentials[docker.io=alice:****, ghcr.io=bot:****]");
        assertThat(GHCR).hasToString("Login[username=bot, password=****]");
    }

    @Test
    void twoLoginsForOneRegistryAreRefused() {
        Map<String, RegistryCredentials.Login> logins = new LinkedHashMap<>();
        logins.put("docker.io", HUB);
        logins.put("index.docker.io", GHCR);

        assertThatThrownBy(() -> RegistryCredentials.of(logins))
                .hasMessage("registry 'index.docker.io' has two logins");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "blank user      | ' '       | pw | registry username must be non-blank without ':', got ' '",
            "colon in user   | a:b       | pw | registry username must be non-blank without ':', got 'a:b'",
            "empty password  | alice     | '' | registry password for user 'alice' must not be empty",
    })
    void refusesBadLoginsWithoutEchoingPasswords(String row, String user, String password, String message) {
        assertThatThrownBy(() -> new RegistryCredentials.Login(user, password))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
