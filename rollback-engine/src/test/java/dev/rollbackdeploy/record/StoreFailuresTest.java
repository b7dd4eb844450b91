package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A store that cannot be read says why; one bad record does not hide the good ones (issue 9, item 8). */
class StoreFailuresTest {

    @TempDir
    Path root;

    @Test
    void listingShowsEveryIntactRecordAndFlagsTheCorruptOneWithItsFileAndWhy() throws Exception {
        FileRecordStore store = new FileRecordStore(root);
        for (int n = 1; n <= 3; n++) {
            store.save(Records.record("team/shop", n));
        }
        Path file = root.resolve("prod-shop/team%2Fshop/2.json");
        String damaged = Files.readString(file).replace("\"replicas\":3", "\"replicas\":9");
        Files.writeString(file, damaged);

        RecordListing listing = store.listing("prod-shop");

        assertThat(listing.records()).extracting(s -> s.build().number()).containsExactly(3, 1);
        assertThat(listing.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.file()).isEqualTo(file.toString());
            assertThat(u.reason()).contains(file.toString()).contains("hash");
        });
        assertThat(Files.readString(file)).isEqualTo(damaged);
    }

    @Test
    void aStorePathThatIsAFileIsAnErrorNotAnEmptyHistory() throws Exception {
        Path notADirectory = Files.writeString(root.resolve("records"), "not a store");
        FileRecordStore store = new FileRecordStore(notADirectory);

        assertThatThrownBy(() -> store.listing("prod-shop")).isInstanceOf(IOException.class)
                .hasMessageContainingAll("record store " + notADirectory, "not a directory");
        assertThatThrownBy(() -> store.load(new BuildRef("team/shop", 1))).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchRecordException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> store.latest("prod-shop", r -> true)).hasMessageContaining("not a directory");
    }

    @Test
    void aStoreThatDoesNotExistYetHasAnEmptyHistory() throws Exception {
        FileRecordStore store = new FileRecordStore(root.resolve("absent"));

        assertThat(store.listing("prod-shop").records()).isEmpty();
        assertThat(store.listing("prod-shop").complete()).isTrue();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(Named.of("access denied", new AccessDeniedException("/srv/records")),
                        "permission denied (/srv/records)"),
                Arguments.of(Named.of("not a directory", new NotDirectoryException("/srv/records")),
                        "not a directory (/srv/records)"),
                Arguments.of(Named.of("missing", new NoSuchFileException("/srv/records/x")),
                        "no such file or directory (/srv/records/x)"),
                Arguments.of(Named.of("other file-system reason",
                        new FileSystemException("/srv/records", null, "Read-only file system")),
                        "Read-only file system (/srv/records)"),
                Arguments.of(Named.of("plain I/O error", new IOException("disk on fire")), "disk on fire"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void saysInWordsWhyTheStoreCouldNotBeUsed(IOException failure, String reason) {
        assertThat(StoreErrors.describe("cannot read record store /srv/records", failure))
                .hasMessage("cannot read record store /srv/records: " + reason).hasCause(failure);
    }
}
