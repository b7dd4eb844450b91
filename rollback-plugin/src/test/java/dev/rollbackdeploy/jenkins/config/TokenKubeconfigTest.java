package dev.rollbackdeploy.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A token credential reaches fabric8 as the same server and token, whatever characters the token holds. */
class TokenKubeconfigTest {

    @ParameterizedTest(name = "token {0}")
    @ValueSource(strings = {"plain-3b8f0e6a91c4", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln", "quote\"and'apostrophe",
            "colon: and # hash", "  padded  "})
    void theGeneratedKubeconfigCarriesServerAndTokenExactly(String token) {
        String kubeconfig = TokenKubeconfig.of("https://k8s.example.com:6443", token);
        KubernetesConnection connection = KubernetesConnection.kubeconfigContent(kubeconfig, "credentials 'kube-token'",
                TokenKubeconfig.CONTEXT);
        try (KubernetesClient client = connection.connect()) {
            assertThat(client.getMasterUrl().toString()).startsWith("https://k8s.example.com:6443");
            String sent = client.getConfiguration().getOauthToken() != null ? client.getConfiguration().getOauthToken()
                    : client.getConfiguration().getAutoOAuthToken();
            assertThat(sent).isEqualTo(token.strip());
        }
        assertThat(connection.toString()).contains("kube-token").doesNotContain(token.strip());
    }
}
