package dev.rollbackdeploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void sha256OfKnownInputMatchesTheStandardVector() {
        // FIPS 180-2 test vector for "abc".
        assertThat(Digest.sha256Of("abc".getBytes(StandardCharsets.US_ASCII)).toString())
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parseRoundTrips() {
        String text = "sha512:" + "0123456789abcdef".repeat(8);
        assertThat(Digest.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void rejectsNullWithAClearMessage() {
        assertThatThrownBy(() -> Digest.parse(null)).hasMessageContaining("algorithm:hex, got null");
    }
}
