package dev.rollbackdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditProblem.Kind;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each way of tampering with the log or the records it names is found, and named for what it is. */
class AuditTamperingTest {

    @FunctionalInterface
    interface Tampering {
        void apply(Path log, Path records) throws Exception;
    }

    @TempDir
    Path dir;

    private AuditLog log;
    private FileRecordStore store;

    @BeforeEach
    void fiveEntriesNamingThreeRecords() throws Exception {
        log = new AuditLog(dir.resolve("audit/audit.jsonl"));
        store = new FileRecordStore(dir.resolve("records"));
        for (int n = 1; n <= 3; n++) {
            store.save(AuditFixtures.record(n, "1." + n));
            log.append(AuditFixtures.deployed(AuditFixtures.record(n, "1." + n)));
        }
        log.append(AuditFixtures.event(4));
        log.append(AuditFixtures.event(5));
        assertThat(log.verify(store).problems()).as("untouched").isEmpty();
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                row("an edited entry", (log, records) -> editLine(log, 4, l -> l.replace("rollback number 4", "rollback number 8")),
                        "entry #4 was edited", Kind.EDITED),
                row("a removed entry", (log, records) -> removeLine(log, 3), "entry #3 is missing", Kind.REMOVED,
                        Kind.RECORD_NOT_AUDITED), // #3 was shop#3's only entry
                row("the last entry removed", (log, records) -> removeLine(log, 5), "head says #5", Kind.REMOVED),
                row("two entries swapped", AuditTamperingTest::swapSecondAndThird, "entry #2 comes after #3", Kind.REORDERED),
                row("an entry replaced and rehashed", AuditTamperingTest::replaceFourthRehashed,
                        "entry #5 does not follow #4", Kind.REPLACED),
                row("a cut-off last line", (log, records) -> Files.write(log,
                        Arrays.copyOf(Files.readAllBytes(log), Files.readAllBytes(log).length - 20)),
                        "no newline", Kind.TRUNCATED, Kind.REMOVED),
                row("a deleted record", (log, records) -> Files.delete(records.resolve("shop-vms/shop/2.json")),
                        "record of shop#2 is gone", Kind.RECORD_DELETED),
                row("a replaced record", (log, records) -> Files.write(records.resolve("shop-vms/shop/2.json"),
                        new RecordCodec().encode(AuditFixtures.record(2, "evil"))),
                        "record of shop#2 hashes to", Kind.RECORD_REPLACED),
                row("a corrupted record", (log, records) -> Files.writeString(records.resolve("shop-vms/shop/2.json"), "{"),
                        "record of shop#2 cannot be verified", Kind.RECORD_UNREADABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void verificationFindsAndNames(String name, Tampering tampering, String message, Set<Kind> kinds) throws Exception {
        tampering.apply(log.file(), dir.resolve("records"));

        AuditReport report = log.verify(store);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).extracting(AuditProblem::kind).containsExactlyInAnyOrderElementsOf(kinds);
        assertThat(report.problems()).map(AuditProblem::message).anyMatch(m -> m.contains(message));
    }

    private static Arguments row(String name, Tampering tampering, String message, Kind... kinds) {
        return Arguments.of(name, tampering, message, Set.of(kinds));
    }

    private static void editLine(Path log, int line, java.util.function.UnaryOperator<String> edit) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.set(line - 1, edit.apply(lines.get(line - 1)));
        Files.write(log, lines, StandardCharsets.UTF_8);
    }

    private static void removeLine(Path log, int line) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.remove(line - 1);
        Files.write(log, lines, StandardCharsets.UTF_8);
    }

    private static void swapSecondAndThird(Path log, Path records) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        String second = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, second);
        Files.write(log, lines, StandardCharsets.UTF_8);
    }

    /** What a careful forger does: a new entry #4 with a correct prev and a correct own hash. */
    private static void replaceFourthRehashed(Path log, Path records) throws Exception {
        AuditCodec codec = new AuditCodec();
        List<AuditEntry> entries = new AuditLog(log).read();
        AuditEvent forged = new AuditEvent(AuditFixtures.T0, "mallory", AuditAction.OVERRIDE, AuditFixtures.TARGET,
                null, new BuildRef("shop", 1), "nothing to see", "", null);
        String line = new String(codec.line(codec.chain(4, entries.get(2).hash(), forged)), StandardCharsets.UTF_8);
        editLine(log, 4, l -> line.strip());
    }

    static String kinds(AuditReport report) {
        return report.problems().stream().map(p -> p.kind().name()).collect(Collectors.joining(","));
    }
}
