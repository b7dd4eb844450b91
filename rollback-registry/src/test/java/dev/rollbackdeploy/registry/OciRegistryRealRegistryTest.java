package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.restore.DigestPreflight;
import dev.rollbackdeploy.image.ImageNotFoundException;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.record.BuildRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against Debian's docker-registry (the distribution project's registry, 2.8), open, on loopback. */
class OciRegistryRealRegistryTest {

    @TempDir
    static Path dir;
    private static RegistryProcess server;
    private static ImagePusher pusher;
    private static OciRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        server = RegistryProcess.start(dir);
        pusher = new ImagePusher(server.baseUrl());
        registry = new OciRegistry(RegistryConfig.defaults(), RegistryCredentials.none());
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void resolvesTagToDigestOfPushedManifestBytes() throws IOException {
        ImagePusher.Pushed pushed = pusher.pushImage("acme/shop", "v1", "layer of shop v1");

        Digest resolved = registry.resolve(image("acme/shop:v1"));

        assertThat(resolved).isEqualTo(Digest.sha256Of(pushed.bytes()));
        assertThat(registry.exists(image("acme/shop:v1"), resolved)).isTrue();
    }

    @Test
    void resolvesImageIndexTagToTheIndexDigest() throws IOException {
        ImagePusher.Pushed amd64 = pusher.pushImage("acme/multi", "amd64", "layer of multi");
        ImagePusher.Pushed index = pusher.pushIndex("acme/multi", "v1", amd64);

        Digest resolved = registry.resolve(image("acme/multi:v1"));

        assertThat(resolved).isEqualTo(Digest.sha256Of(index.bytes())).isNotEqualTo(amd64.digest());
    }

    @Test
    void retagMovesTheTagWhileTheOldDigestStillExists() throws IOException {
        ImagePusher.Pushed first = pusher.pushImage("acme/retag", "stable", "first build");
        assertThat(registry.resolve(image("acme/retag:stable"))).isEqualTo(first.digest());

        ImagePusher.Pushed second = pusher.pushImage("acme/retag", "stable", "second build");

        assertThat(registry.resolve(image("acme/retag:stable"))).isEqualTo(second.digest()).isNotEqualTo(first.digest());
        assertThat(registry.exists(image("acme/retag:stable"), first.digest())).isTrue();
    }

    @Test
    void resolvingByDigestChecksItExists() throws IOException {
        ImagePusher.Pushed pushed = pusher.pushImage("acme/pinned", "v1", "pinned build");

        ImageRef pinned = image("acme/pinned@" + pushed.digest());

        assertThat(registry.resolve(pinned)).isEqualTo(pushed.digest());
    }

    @Test
    void deletedManifestIsGoneAndPreflightNamesNearestRestorableBuild() throws Exception {
        List<DigestPreflight.Build> newestFirst = new java.util.ArrayList<>();
        for (int number = 1; number <= 3; number++) {
            ImagePusher.Pushed pushed = pusher.pushImage("acme/history", "v" + number, "history build " + number);
            ImageRef recorded = image("acme/history:v" + number).withDigest(registry.resolve(image("acme/history:v" + number)));
            newestFirst.add(0, DigestPreflight.Build.of(new BuildRef("team/history", number), List.of(recorded)));
            assertThat(recorded.digest()).isEqualTo(pushed.digest());
        }
        ImageRef build3 = newestFirst.get(0).images().get(0);
        ImageRef build2 = newestFirst.get(1).images().get(0);

        pusher.deleteManifest("acme/history", build3.digest());
        pusher.deleteManifest("acme/history", build2.digest());

        assertThat(registry.exists(build3, build3.digest())).isFalse();
        assertThat(registry.exists(build2, build2.digest())).isFalse();
        DigestPreflight.Result result = new DigestPreflight(registry).check(newestFirst, new BuildRef("team/history", 3));
        assertThat(result).isInstanceOf(DigestPreflight.Blocked.class);
        assertThat(((DigestPreflight.Blocked) result).reason())
                .isEqualTo("cannot restore build team/history#3: image " + server.host() + "/acme/history@"
                        + build3.digest() + " (recorded as tag v3) no longer exists in the registry;"
                        + " the nearest restorable build is team/history#1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "unknown repository, acme/never-pushed:v1",
            "unknown tag,        acme/known:no-such-tag",
            "unknown digest,     acme/known@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    })
    void unknownImagesAreNotFound(String row, String reference) throws IOException {
        pusher.pushImage("acme/known", "v1", "known");
        ImageRef missing = image(reference);

        assertThatThrownBy(() -> registry.resolve(missing))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageStartingWith("image " + missing + " not found: registry answered 404");
        assertThat(((ImageNotFoundException) catchThrowable(missing)).image()).isEqualTo(missing);
    }

    @Test
    void unknownDigestDoesNotExist() throws IOException {
        pusher.pushImage("acme/known", "v1", "known");
        Digest never = Digest.sha256Of("never pushed".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(registry.exists(image("acme/known:v1"), never)).isFalse();
        assertThat(registry.exists(image("acme/never-pushed:v1"), never)).isFalse();
    }

    private static Throwable catchThrowable(ImageRef missing) {
        try {
            registry.resolve(missing);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static ImageRef image(String rest) {
        return ImageRef.parse(server.host() + "/" + rest);
    }
}
