package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.ObjectKey;
import org.junit.jupiter.api.Test;

/** The adapter writes and deletes objects by group as well as kind (issue 9, item 10). */
class SupportedKindTest {

    @Test
    void aCustomResourceNamedLikeABuiltInKindIsNotTakenForIt() {
        ObjectKey custom = new ObjectKey("acme.io", "Deployment", "shop", "web");

        assertThat(SupportedKind.of(new ObjectKey("apps", "Deployment", "shop", "web")))
                .hasValueSatisfying(k -> assertThat(k.apiVersion()).isEqualTo("apps/v1"));
        assertThat(SupportedKind.of(custom)).isEmpty();
        assertThatThrownBy(() -> SupportedKind.require(custom)).hasMessageContaining("Deployment.acme.io/shop/web");
    }
}
