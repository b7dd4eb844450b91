package dev.rollbackdeploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageRefTest {

    private static final String H64 = "a".repeat(64);
    private static final String H128 = "b".repeat(128);

    static Stream<Arguments> valid() {
        return Stream.of(
                row("bare name gets hub, library and latest", "nginx", "docker.io", "library/nginx", "latest", null),
                row("tag", "nginx:1.25", "docker.io", "library/nginx", "1.25", null),
                row("hub user repo", "acme/shop:v2", "docker.io", "acme/shop", "v2", null),
                row("explicit docker.io", "docker.io/nginx", "docker.io", "library/nginx", "latest", null),
                row("index.docker.io is docker.io", "index.docker.io/acme/shop", "docker.io", "acme/shop", "latest", null),
                row("host with dot", "ghcr.io/acme/shop:1.0.0", "ghcr.io", "acme/shop", "1.0.0", null),
                row("host with port", "registry.local:5000/shop:rc1", "registry.local:5000", "shop", "rc1", null),
                row("localhost", "localhost/shop", "localhost", "shop", "latest", null),
                row("localhost with port", "localhost:5000/team/shop:v1", "localhost:5000", "team/shop", "v1", null),
                row("ipv4 with port", "127.0.0.1:5000/shop:v1", "127.0.0.1:5000", "shop", "v1", null),
                row("ipv6 bracketed", "[::1]:5000/shop:v1", "[::1]:5000", "shop", "v1", null),
                row("upper-case first component is a host", "Registry/shop", "Registry", "shop", "latest", null),
                row("deep path", "gcr.io/a/b/c/d:x", "gcr.io", "a/b/c/d", "x", null),
                row("separators in path", "r.io/a.b/c_d/e__f/g-h/i--j:t", "r.io", "a.b/c_d/e__f/g-h/i--j", "t", null),
                row("digest only keeps no tag", "nginx@sha256:" + H64, "docker.io", "library/nginx", null, "sha256:" + H64),
                row("tag and digest", "ghcr.io/acme/shop:v2@sha256:" + H64, "ghcr.io", "acme/shop", "v2", "sha256:" + H64),
                row("sha512 digest", "r.io/x@sha512:" + H128, "r.io", "x", null, "sha512:" + H128),
                row("port and digest", "localhost:5000/x:y@sha256:" + H64, "localhost:5000", "x", "y", "sha256:" + H64),
                row("tag with underscore and dots", "nginx:_1.2-rc.3", "docker.io", "library/nginx", "_1.2-rc.3", null),
                row("tag of 128 characters", "nginx:" + "t".repeat(128), "docker.io", "library/nginx", "t".repeat(128), null));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("empty", "", "must not be empty"),
                bad("blank", "   ", "must not be empty"),
                bad("surrounding spaces", " nginx", "surrounding spaces"),
                bad("upper-case path", "docker.io/Acme/shop", "path component 'Acme'"),
                bad("empty path component", "ghcr.io/acme//shop", "path component ''"),
                bad("trailing slash", "ghcr.io/acme/", "path component ''"),
                bad("leading separator", "ghcr.io/-acme/shop", "path component '-acme'"),
                bad("double dot separator", "ghcr.io/a..b", "path component 'a..b'"),
                bad("triple underscore", "r.io/a___b", "path component 'a___b'"),
                bad("empty tag", "nginx:", "tag"),
                bad("tag starting with dot", "nginx:.x", "tag"),
                bad("tag of 129 characters", "nginx:" + "t".repeat(129), "tag"),
                bad("tag with slash-free junk", "nginx:a+b", "tag"),
                bad("unknown digest algorithm", "nginx@md5:" + H64, "sha256 or sha512"),
                bad("short sha256", "nginx@sha256:abc", "64 lowercase hex"),
                bad("upper-case hex", "nginx@sha256:" + "A".repeat(64), "64 lowercase hex"),
                bad("sha512 with 64 hex", "nginx@sha512:" + H64, "128 lowercase hex"),
                bad("digest without algorithm", "nginx@" + H64, "algorithm:hex"),
                bad("empty digest", "nginx@", "algorithm:hex"),
                bad("bad port", "localhost:99999999/x", "registry"),
                bad("name too long", "r.io/" + "a".repeat(260), "at most 255"),
                bad("space inside", "ngi nx", "path component 'ngi nx'"),
                bad("host with underscore", "my_host.io/x", "registry"));
    }

    private static Arguments row(String why, String text, String registry, String repository, String tag, String digest) {
        return Arguments.of(why, text, registry, repository, tag, digest);
    }

    private static Arguments bad(String why, String text, String messagePart) {
        return Arguments.of(why, text, messagePart);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("valid")
    void parsesValidReference(String why, String text, String registry, String repository, String tag, String digest) {
        ImageRef ref = ImageRef.parse(text);

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest() == null ? null : ref.digest().toString()).isEqualTo(digest);
        // The printed form is fully qualified and parses back to the same value.
        assertThat(ImageRef.parse(ref.toString())).isEqualTo(ref);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidReferenceQuotingIt(String why, String text, String messagePart) {
        assertThatThrownBy(() -> ImageRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart)
                .hasMessageContaining("'" + text + "'");
    }

    @org.junit.jupiter.api.Test
    void spellingsOfOneImageAreEqual() {
        assertThat(ImageRef.parse("nginx")).isEqualTo(ImageRef.parse("docker.io/library/nginx:latest"));
        assertThat(ImageRef.parse("index.docker.io/library/nginx:1")).isEqualTo(ImageRef.parse("nginx:1"));
    }

    @org.junit.jupiter.api.Test
    void pinningKeepsTagAndAddsDigest() {
        Digest digest = Digest.parse("sha256:" + H64);

        ImageRef pinned = ImageRef.parse("ghcr.io/acme/shop:v2").withDigest(digest);

        assertThat(pinned.toString()).isEqualTo("ghcr.io/acme/shop:v2@sha256:" + H64);
        assertThat(pinned.digestIfAny()).contains(digest);
    }
}
