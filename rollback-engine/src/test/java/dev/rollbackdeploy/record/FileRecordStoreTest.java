package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRecordStoreTest {

    @TempDir
    Path root;

    private FileRecordStore store() {
        return new FileRecordStore(root);
    }

    @Test
    void loadsTheRecordItSaved() throws Exception {
        DeploymentRecord record = Records.record("team/shop", 42);
        store().save(record);

        assertThat(store().load(new BuildRef("team/shop", 42))).isEqualTo(record);
        assertThat(root.resolve("prod-shop").resolve("team%2Fshop").resolve("42.json")).isRegularFile();
    }

    @Test
    void savingTheSameRecordAgainChangesNothing() throws Exception {
        store().save(Records.record("team/shop", 42));
        Path file = root.resolve("prod-shop/team%2Fshop/42.json");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000L));
        Map<String, String> before = snapshot();

        store().save(Records.record("team/shop", 42));

        assertThat(snapshot()).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.fromMillis(1_000_000L));
    }

    @Test
    void refusesADifferentRecordForTheSameBuildAndKeepsTheFirst() throws Exception {
        DeploymentRecord first = Records.record("team/shop", 42);
        store().save(first);
        Map<String, String> before = snapshot();
        DeploymentRecord other = Records.record("team/shop", 42, "prod-shop", Outcome.deployed(), Records.T0, 3);
        DeploymentRecord elsewhere = Records.record("team/shop", 42, "staging", Outcome.promoted(), Records.T0, 3);

        assertThatThrownBy(() -> store().save(other)).isInstanceOf(RecordConflictException.class)
                .hasMessageContaining("team/shop#42").hasMessageContaining("42.json");
        assertThatThrownBy(() -> store().save(elsewhere)).isInstanceOf(RecordConflictException.class);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(store().load(first.ref())).isEqualTo(first);
    }

    @Test
    void inventoryListsEveryTargetsRecordsWithTheHashOfTheirStoredBytesAndEachBadFile() throws Exception {
        store().save(Records.record("team/shop", 42));
        store().save(Records.record("team/Shop", 7, "staging", Outcome.promoted(), Records.T0, 3));
        Files.writeString(root.resolve("prod-shop/team%2Fshop/43.json"), "{");
        Files.writeString(root.resolve("prod-shop/team%2Fshop/.44.json.tmp"), "{");

        assertThat(store().inventory()).extracting(RecordOnDisk::build, RecordOnDisk::targetKey, RecordOnDisk::contentHash)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(new BuildRef("team/shop", 42), "prod-shop",
                                store().storedHash(new BuildRef("team/shop", 42))),
                        org.assertj.core.groups.Tuple.tuple(new BuildRef("team/shop", 43), "prod-shop", null),
                        org.assertj.core.groups.Tuple.tuple(new BuildRef("team/Shop", 7), "staging",
                                store().storedHash(new BuildRef("team/Shop", 7))));
        assertThat(store().inventory().get(1).problem()).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("43.json");
    }

    @Test
    void saysWhichBuildHasNoRecord() throws Exception {
        store().save(Records.record("team/shop", 42));

        assertThatThrownBy(() -> store().load(new BuildRef("team/shop", 7)))
                .isInstanceOf(NoSuchRecordException.class)
                .hasMessageContaining("no record for team/shop#7");
        assertThatThrownBy(() -> new FileRecordStore(root.resolve("absent")).load(new BuildRef("a", 1)))
                .isInstanceOf(NoSuchRecordException.class).hasMessageContaining("no record for a#1");
    }

    @Test
    void listsNewestFirstByNumberThenStartTime() throws Exception {
        Instant t = Records.T0;
        store().save(Records.record("team/shop", 3, "prod-shop", Outcome.promoted(), t.plusSeconds(300), 2));
        store().save(Records.record("team/shop", 10, "prod-shop", Outcome.aborted("p99 too high"), t, 2));
        store().save(Records.record("team/shop", 2, "prod-shop", Outcome.promoted(), t.plusSeconds(900), 2));
        store().save(Records.record("team/shop-hotfix", 10, "prod-shop", Outcome.promoted(), t.plusSeconds(60), 2));
        store().save(Records.record("team/shop", 11, "staging", Outcome.promoted(), t, 2));

        assertThat(store().list("prod-shop")).extracting(s -> s.build().toString())
                .containsExactly("team/shop-hotfix#10", "team/shop#10", "team/shop#3", "team/shop#2");
        assertThat(store().list("nowhere")).isEmpty();
        assertThat(store().latest("prod-shop", r -> r.outcome().status() == Outcome.Status.PROMOTED
                && r.ref().job().equals("team/shop"))).map(DeploymentRecord::ref)
                .contains(new BuildRef("team/shop", 3));
        assertThat(store().latest("prod-shop", r -> true)).map(DeploymentRecord::ref)
                .contains(new BuildRef("team/shop-hotfix", 10));
        assertThat(store().latest("prod-shop", r -> false)).isEmpty();
    }

    @Test
    void listFailsNamingACorruptedFileAndLeavesItAlone() throws Exception {
        FileRecordStore store = store();
        store.save(Records.record("team/shop", 1));
        store.save(Records.record("team/shop", 2));
        assertThat(store.list("prod-shop")).hasSize(2);
        Path file = root.resolve("prod-shop/team%2Fshop/1.json");
        String damaged = Files.readString(file).replace("\"replicas\":3", "\"replicas\":9");
        Files.writeString(file, damaged);

        assertThatThrownBy(() -> store.list("prod-shop")).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("hash");
        assertThatThrownBy(() -> store.latest("prod-shop", r -> r.ref().number() == 1)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> store.save(Records.record("team/shop", 1))).isInstanceOf(RecordConflictException.class);
        assertThat(Files.readString(file)).isEqualTo(damaged);
    }

    @Test
    void refusesARecordFiledUnderAnotherBuildsName() throws Exception {
        store().save(Records.record("team/shop", 42));
        Path copy = root.resolve("prod-shop/team%2Fshop/43.json");
        Files.copy(root.resolve("prod-shop/team%2Fshop/42.json"), copy);

        assertThatThrownBy(() -> store().load(new BuildRef("team/shop", 43)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining(copy.toString()).hasMessageContaining("team/shop#42");
    }

    @Test
    void refusesARecordMovedUnderAnotherTarget() throws Exception {
        store().save(Records.record("team/shop", 42));
        Files.move(root.resolve("prod-shop"), root.resolve("staging"));

        assertThatThrownBy(() -> store().list("staging")).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("staging").hasMessageContaining("target.key");
    }

    @Test
    void badInputLeavesTheStoreUntouched() throws Exception {
        store().save(Records.record("team/shop", 1));
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> Records.record("team/shop", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("build number must be 1 or more, got 0");
        assertThatThrownBy(() -> store().save(Records.record("team/shop", 2, "K".repeat(100), Outcome.promoted(),
                Records.T0, 2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target key");

        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void leavesNoTempFilesBehind() throws Exception {
        for (int number = 1; number <= 5; number++) {
            store().save(Records.record("team/shop", number));
        }

        assertThat(snapshot().keySet()).hasSize(6).allMatch(p -> !p.endsWith(".tmp"))
                .contains(".lock", "prod-shop/team%2Fshop/5.json");
    }

    @Test
    void aFailureBetweenTempWriteAndRenameKeepsTheOldState() throws Exception {
        store().save(Records.record("team/shop", 1));
        Map<String, String> before = snapshot();
        FileRecordStore crashing = new FileRecordStore(root, () -> {
            throw new UncheckedIOException(new IOException("disk gone (simulated)"));
        });

        assertThatThrownBy(() -> crashing.save(Records.record("team/shop", 2))).hasMessageContaining("simulated");

        assertThat(snapshot()).isEqualTo(before);
        assertThat(store().list("prod-shop")).extracting(RecordSummary::build).containsExactly(new BuildRef("team/shop", 1));
        assertThatThrownBy(() -> store().load(new BuildRef("team/shop", 2))).isInstanceOf(NoSuchRecordException.class);
    }

    @Test
    void aProcessKilledBeforeTheRenameLeavesTheOldStateReadable() throws Exception {
        store().save(Records.record("team/shop", 1));
        Process child = StoreProcess.command("crash", root.toString(), "team/shop", "2").start();

        assertThat(child.waitFor()).as("child halts inside the write").isEqualTo(3);
        try (Stream<Path> files = Files.list(root.resolve("prod-shop/team%2Fshop"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith(".2.json.") && name.endsWith(".tmp")).contains("1.json")
                    .doesNotContain("2.json");
        }
        assertThat(store().list("prod-shop")).extracting(RecordSummary::build).containsExactly(new BuildRef("team/shop", 1));
        assertThat(store().load(new BuildRef("team/shop", 1))).isEqualTo(Records.record("team/shop", 1));

        store().save(Records.record("team/shop", 2));
        assertThat(store().load(new BuildRef("team/shop", 2))).isEqualTo(Records.record("team/shop", 2));
    }

    /** Relative path to content, for "nothing changed" assertions. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
