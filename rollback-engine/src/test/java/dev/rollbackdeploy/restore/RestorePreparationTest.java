package dev.rollbackdeploy.restore;

import static dev.rollbackdeploy.restore.History.build;
import static dev.rollbackdeploy.restore.History.digest;
import static dev.rollbackdeploy.restore.History.image;
import static dev.rollbackdeploy.restore.History.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.CorruptRecordException;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestorePreparationTest {

    /** A registry holding exactly the given digests; logs every question. */
    private static final class FakeRegistry implements Registry {
        private final Set<Digest> present;
        final List<Digest> asked = new ArrayList<>();

        FakeRegistry(Set<Digest> present) {
            this.present = present;
        }

        @Override
        public Digest resolve(ImageRef image) {
            throw new AssertionError("a restore must not resolve tags (they may have moved): " + image);
        }

        @Override
        public boolean exists(ImageRef image, Digest digest) throws IOException {
            asked.add(digest);
            return present.contains(digest);
        }
    }

    @TempDir
    Path root;
    private FileRecordStore store;
    private final ObservedCluster cluster = new ObservedCluster(ManifestSet.empty());

    @BeforeEach
    void createStore() {
        store = new FileRecordStore(root);
    }

    private void save(DeploymentRecord... records) throws Exception {
        for (DeploymentRecord record : records) {
            store.save(record);
        }
    }

    private PreparedRestore prepare(int number, Registry registry) throws Exception {
        return RestorePreparation.prepare(store, build(number), cluster, Optional.of(registry), RestoreOptions.SAFE);
    }

    private static String gone(int number) {
        return "image ghcr.io/acme/web@" + digest(number) + " (recorded as tag 1." + number + ") no longer exists in the registry";
    }

    @Test
    void aBuildWhoseDigestsExistIsPlannedAgainstTheLiveTargetAfterOneQuestionPerDigest() throws Exception {
        save(record(1), record(2), record(3));
        FakeRegistry registry = new FakeRegistry(Set.of(digest(2)));

        PreparedRestore prepared = prepare(2, registry);

        assertThat(prepared.record().ref()).isEqualTo(build(2));
        assertThat(prepared.images()).isEqualTo(new PreparedRestore.Verified(List.of(image(2))));
        assertThat(prepared.plan().actions()).extracting(Action::describe).containsExactly(
                "apply Deployment.apps/shop/web (" + History.manifests(2).objects().get(0).hash() + ")",
                "wait until Deployment.apps/shop/web is ready");
        assertThat(registry.asked).as("workload and manifest name one digest; no history is read").containsExactly(digest(2));
        assertThat(cluster.calls).containsExactly("observe");
    }

    @Test
    void aBuildWhoseDigestIsGoneIsRefusedBeforeTheTargetIsObservedAndNamesTheNearestRestorableBuild() throws Exception {
        save(record(1), record(2), record(3), record(4));
        FakeRegistry registry = new FakeRegistry(Set.of(digest(1), digest(2), digest(4)));

        assertThatThrownBy(() -> prepare(3, registry))
                .isInstanceOf(DigestPreflightException.class)
                .hasMessage("cannot restore build team/shop#3: " + gone(3) + "; the nearest restorable build is team/shop#2");
        assertThat(cluster.calls).as("nothing observed, planned or written").isEmpty();
        assertThat(registry.asked).as("the target once, then only the next older build").containsExactly(digest(3), digest(2));
    }

    @Test
    void aCorruptOlderRecordDoesNotHideTheNearestRestorableBuild() throws Exception {
        save(record(1), record(2), record(3));
        Path corrupt;
        try (Stream<Path> files = Files.walk(root)) {
            corrupt = files.filter(p -> p.getFileName().toString().equals("1.json")).findFirst().orElseThrow();
        }
        Files.writeString(corrupt, "{\"formatVersion\":1,\"build\":");
        FakeRegistry registry = new FakeRegistry(Set.of(digest(1), digest(2)));

        assertThatThrownBy(() -> prepare(3, registry))
                .isInstanceOf(DigestPreflightException.class)
                .hasMessageEndingWith("the nearest restorable build is team/shop#2");
    }

    static Stream<Arguments> nearest() {
        return Stream.of(
                Arguments.of("previous build present", Set.of(1, 2), List.of(), "the nearest restorable build is team/shop#2"),
                Arguments.of("previous gone too: the one before", Set.of(1), List.of(), "the nearest restorable build is team/shop#1"),
                Arguments.of("newer build present is never offered", Set.of(4), List.of(),
                        "no earlier recorded build has all its images"),
                Arguments.of("failed build skipped though present", Set.of(1, 2), List.of(2),
                        "the nearest restorable build is team/shop#1"),
                Arguments.of("nothing older ended live", Set.of(1, 2), List.of(1, 2),
                        "no earlier recorded build has all its images"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nearest")
    void namesTheNewestOlderBuildThatEndedLiveWithAllItsImages(String row, Set<Integer> present, List<Integer> failed,
            String expected) throws Exception {
        for (int n = 1; n <= 4; n++) {
            save(failed.contains(n) ? record(n, "prod-shop", Outcome.failed("error rate 4% over 1%")) : record(n));
        }
        Set<Digest> digests = new java.util.HashSet<>();
        present.forEach(n -> digests.add(digest(n)));

        assertThatThrownBy(() -> prepare(3, new FakeRegistry(digests)))
                .isInstanceOf(DigestPreflightException.class)
                .hasMessage("cannot restore build team/shop#3: " + gone(3) + "; " + expected);
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void onlyTheTargetsOwnHistoryIsSearchedForTheNearestRestorableBuild() throws Exception {
        save(record(1, "staging-shop", Outcome.promoted()), record(2, "prod-shop", Outcome.promoted()));

        assertThatThrownBy(() -> prepare(2, new FakeRegistry(Set.of(digest(1)))))
                .isInstanceOf(DigestPreflightException.class)
                .hasMessage("cannot restore build team/shop#2: " + gone(2) + "; no earlier recorded build has all its images");
    }

    @Test
    void anUnknownBuildIsAnErrorNamingItAndTheStore() throws Exception {
        save(record(1));

        assertThatThrownBy(() -> prepare(9, new FakeRegistry(Set.of())))
                .isInstanceOf(NoSuchRecordException.class)
                .hasMessage("no record for team/shop#9 in " + root.toAbsolutePath().normalize());
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void aCorruptRecordIsAnErrorNamingTheFileAndNothingIsObserved() throws Exception {
        save(record(1));
        Path file;
        try (Stream<Path> files = Files.walk(root)) {
            file = files.filter(p -> p.getFileName().toString().equals("1.json")).findFirst().orElseThrow();
        }
        Files.writeString(file, "{\"formatVersion\":1,\"build\":");

        assertThatThrownBy(() -> prepare(1, new FakeRegistry(Set.of(digest(1)))))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("corrupt deployment record " + file.toRealPath());
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void aRegistryThatCannotBeAskedStopsTheRestoreRatherThanGuessing() throws Exception {
        save(record(1));
        Registry down = new Registry() {
            @Override
            public Digest resolve(ImageRef image) {
                throw new AssertionError("not asked");
            }

            @Override
            public boolean exists(ImageRef image, Digest digest) throws IOException {
                throw new IOException("ghcr.io answered HTTP 503");
            }
        };

        assertThatThrownBy(() -> prepare(1, down)).isInstanceOf(IOException.class).hasMessage("ghcr.io answered HTTP 503");
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void withoutARegistryTheRestoreIsPlannedAndSaysItsImagesWereNotChecked() throws Exception {
        save(record(1));

        PreparedRestore prepared = RestorePreparation.prepare(store, build(1), cluster, Optional.empty(),
                RestoreOptions.SAFE);

        assertThat(prepared.images().describe())
                .isEqualTo("1 image digest(s) NOT checked: no registry was given to check them against");
        assertThat(prepared.plan().isExecutable()).isTrue();
        assertThat(cluster.calls).containsExactly("observe");
    }

    @Test
    void aBuildAlreadyLiveNeedsNoWrites() throws Exception {
        save(record(1));
        ObservedCluster live = new ObservedCluster(History.manifests(1));

        PreparedRestore prepared = RestorePreparation.prepare(store, build(1), live,
                Optional.of(new FakeRegistry(Set.of(digest(1)))), RestoreOptions.SAFE);

        assertThat(prepared.plan().isEmpty()).isTrue();
    }
}
