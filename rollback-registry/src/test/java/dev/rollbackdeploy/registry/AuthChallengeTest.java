package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthChallengeTest {

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("Docker Hub bearer",
                        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                + "scope=\"repository:library/nginx:pull\"",
                        List.of(new AuthChallenge("Bearer", Map.of("realm", "https://auth.docker.io/token",
                                "service", "registry.docker.io", "scope", "repository:library/nginx:pull")))),
                Arguments.of("comma inside a quoted scope",
                        "Bearer realm=\"https://r/token\", scope=\"repository:a/b:pull,push\"",
                        List.of(new AuthChallenge("bearer", Map.of("realm", "https://r/token",
                                "scope", "repository:a/b:pull,push")))),
                Arguments.of("basic with realm", "Basic realm=\"Registry Realm\"",
                        List.of(new AuthChallenge("basic", Map.of("realm", "Registry Realm")))),
                Arguments.of("unquoted values and odd case", "BEARER Realm=https://r/token, Service=reg",
                        List.of(new AuthChallenge("bearer", Map.of("realm", "https://r/token", "service", "reg")))),
                Arguments.of("escaped quote", "Basic realm=\"say \\\"hi\\\"\"",
                        List.of(new AuthChallenge("basic", Map.of("realm", "say \"hi\"")))),
                Arguments.of("two challenges in one header", "Basic realm=\"x\", Bearer realm=\"https://r/t\"",
                        List.of(new AuthChallenge("basic", Map.of("realm", "x")),
                                new AuthChallenge("bearer", Map.of("realm", "https://r/t")))),
                Arguments.of("scheme only", "Negotiate", List.of(new AuthChallenge("negotiate", Map.of()))),
                Arguments.of("empty", "", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void parsesChallenges(String row, String header, List<AuthChallenge> expected) {
        assertThat(AuthChallenge.parse(header)).isEqualTo(expected);
    }

    @Test
    void choosesBearerOverBasicAcrossHeaders() {
        Optional<AuthChallenge> chosen = AuthChallenge.choose(List.of("Basic realm=\"x\"", "Bearer realm=\"https://r/t\""));

        assertThat(chosen).map(AuthChallenge::scheme).contains("bearer");
    }

    @Test
    void choosesNothingWhenNoSchemeIsUsable() {
        assertThat(AuthChallenge.choose(List.of("Negotiate", "NTLM"))).isEmpty();
    }
}
