package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.image.Registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.record.BuildRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DigestPreflightTest {

    private static final Digest D1 = digest('1');
    private static final Digest D2 = digest('2');
    private static final Digest D3 = digest('3');
    private static final Digest D4 = digest('4');
    private static final Digest SIDECAR = digest('5');

    /** Builds 4 (newest) to 1, each running shop at its own digest plus a shared sidecar. */
    private static final List<DigestPreflight.Build> HISTORY = List.of(
            build(4, D4), build(3, D3), build(2, D2), build(1, D1));

    /** A registry holding exactly the given digests; records every question it is asked. */
    private static final class FakeRegistry implements Registry {
        private final Set<Digest> present;
        final List<Digest> asked = new ArrayList<>();

        FakeRegistry(Set<Digest> present) {
            this.present = present;
        }

        @Override
        public Digest resolve(ImageRef image) {
            throw new AssertionError("preflight must not resolve tags: " + image);
        }

        @Override
        public boolean exists(ImageRef image, Digest digest) {
            asked.add(digest);
            return present.contains(digest);
        }
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("every digest present -> restorable",
                        Set.of(D1, D2, D3, D4, SIDECAR), "team/shop#3", List.of(), null),
                Arguments.of("target gone, previous build present -> previous named",
                        Set.of(D1, D2, D4, SIDECAR), "team/shop#3", List.of(D3), "team/shop#2"),
                Arguments.of("target and previous gone -> skips to the older one",
                        Set.of(D1, D4, SIDECAR), "team/shop#3", List.of(D3), "team/shop#1"),
                Arguments.of("newer builds never offered as restorable",
                        Set.of(D4, SIDECAR), "team/shop#2", List.of(D2), null),
                Arguments.of("shared sidecar gone -> nothing restorable",
                        Set.of(D1, D2, D3, D4), "team/shop#4", List.of(SIDECAR), null),
                Arguments.of("oldest build gone -> nothing older",
                        Set.of(D2, D3, D4, SIDECAR), "team/shop#1", List.of(D1), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void namesMissingDigestsAndNearestRestorableBuild(String row, Set<Digest> present, String target,
            List<Digest> expectedMissing, String expectedNearest) throws IOException {
        DigestPreflight.Result result = new DigestPreflight(new FakeRegistry(present)).check(HISTORY, target);

        assertThat(result.target().label()).isEqualTo(target);
        if (expectedMissing.isEmpty()) {
            assertThat(result).isInstanceOf(DigestPreflight.Restorable.class);
            return;
        }
        DigestPreflight.Blocked blocked = (DigestPreflight.Blocked) result;
        assertThat(blocked.missing()).extracting(ImageRef::digest).containsExactlyElementsOf(expectedMissing);
        assertThat(blocked.nearestRestorable().map(DigestPreflight.Build::label))
                .isEqualTo(Optional.ofNullable(expectedNearest));
    }

    @Test
    void failureMessageNamesImageDigestAndNearestBuild() throws IOException {
        DigestPreflight.Result result = new DigestPreflight(new FakeRegistry(Set.of(D1, D2, D4, SIDECAR)))
                .check(HISTORY, new BuildRef("team/shop", 3));

        assertThatThrownBy(result::requireRestorable)
                .isInstanceOf(DigestPreflightException.class)
                .hasMessage("cannot restore build team/shop#3: image ghcr.io/acme/shop@" + D3
                        + " (recorded as tag v3) no longer exists in the registry;"
                        + " the nearest restorable build is team/shop#2");
    }

    @Test
    void failureMessageSaysWhenNothingIsRestorable() throws IOException {
        DigestPreflight.Result result = new DigestPreflight(new FakeRegistry(Set.of(D4)))
                .check(HISTORY, "team/shop#2");

        assertThatThrownBy(result::requireRestorable)
                .hasMessageContaining("images ghcr.io/acme/shop@" + D2)
                .hasMessageContaining("ghcr.io/acme/sidecar@" + SIDECAR)
                .hasMessageEndingWith("no longer exist in the registry; no earlier recorded build has all its images");
    }

    @Test
    void restorableTargetIsReturned() throws Exception {
        DigestPreflight.Result result = new DigestPreflight(new FakeRegistry(Set.of(D1, D2, D3, D4, SIDECAR)))
                .check(HISTORY, "team/shop#4");

        assertThat(result.requireRestorable()).isSameAs(HISTORY.get(0));
    }

    @Test
    void asksAboutEachDigestOnceAndStopsAtFirstRestorableBuild() throws IOException {
        FakeRegistry registry = new FakeRegistry(Set.of(D2, SIDECAR));

        new DigestPreflight(registry).check(HISTORY, "team/shop#4");

        // build 4: D4 (gone) + sidecar; build 3: D3 (gone), sidecar cached; build 2 restorable; build 1 never asked
        assertThat(registry.asked).containsExactly(D4, SIDECAR, D3, D2);
    }

    @Test
    void registryFailurePropagatesInsteadOfCountingAsMissing() {
        Registry down = new Registry() {
            @Override
            public Digest resolve(ImageRef image) {
                throw new AssertionError("not used");
            }

            @Override
            public boolean exists(ImageRef image, Digest digest) throws IOException {
                throw new IOException("registry ghcr.io unreachable");
            }
        };

        assertThatThrownBy(() -> new DigestPreflight(down).check(HISTORY, "team/shop#4"))
                .isInstanceOf(IOException.class)
                .hasMessage("registry ghcr.io unreachable");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("unknown target", (Check) p -> p.check(HISTORY, "team/shop#9"),
                        "target build 'team/shop#9' is not among the recorded builds"),
                Arguments.of("duplicate labels",
                        (Check) p -> p.check(List.of(build(2, D2), build(2, D1)), "team/shop#2"),
                        "recorded builds must have distinct labels, got 'team/shop#2' twice"),
                Arguments.of("unpinned image",
                        (Check) p -> new DigestPreflight.Build("b#1", List.of(ImageRef.parse("ghcr.io/acme/shop:v1"))),
                        "recorded images of build b#1 must be pinned to a digest, got 'ghcr.io/acme/shop:v1'"),
                Arguments.of("blank label",
                        (Check) p -> new DigestPreflight.Build(" ", List.of()),
                        "build label must not be blank, got ' '"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void refusesBadInputNamingTheValue(String row, Check check, String message) {
        DigestPreflight preflight = new DigestPreflight(new FakeRegistry(Set.of()));

        assertThatThrownBy(() -> check.run(preflight))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @FunctionalInterface
    interface Check {
        Object run(DigestPreflight preflight) throws IOException;
    }


    private static DigestPreflight.Build build(int number, Digest shop) {
        return DigestPreflight.Build.of(new BuildRef("team/shop", number), List.of(
                ImageRef.parse("ghcr.io/acme/shop:v" + number).withDigest(shop),
                new ImageRef("ghcr.io", "acme/sidecar", null, SIDECAR)));
    }

    private static Digest digest(char c) {
        return new Digest("sha256", String.valueOf(c).repeat(64));
    }
}
