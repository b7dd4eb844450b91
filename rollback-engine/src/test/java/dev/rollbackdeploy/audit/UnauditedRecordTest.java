package dev.rollbackdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record in the store that no entry names: the log was deleted with its head, its first entries were
 * removed and the rest re-chained, or something saved a record without auditing it. Kinds are compared
 * by name so these tests compiled, and failed, before the finding existed.
 */
class UnauditedRecordTest {

    @TempDir
    Path dir;

    private AuditLog log;
    private FileRecordStore store;

    @BeforeEach
    void twoAuditedRecords() throws Exception {
        log = new AuditLog(dir.resolve("audit/audit.jsonl"));
        store = new FileRecordStore(dir.resolve("records"));
        for (int n = 1; n <= 2; n++) {
            DeploymentRecord record = AuditFixtures.record(n, "1." + n);
            store.save(record);
            log.append(AuditFixtures.deployed(record));
        }
        assertThat(log.verify(store).problems()).as("untouched").isEmpty();
    }

    @Test
    void aRecordNoEntryNamesIsFound() throws Exception {
        store.save(AuditFixtures.record(3, "1.3"));

        AuditReport report = log.verify(store);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).extracting(p -> p.kind().name()).containsExactly("RECORD_NOT_AUDITED");
        assertThat(report.problems().get(0).message()).startsWith("the record of shop#3 (target shop-vms) is in the "
                + "store but no audit entry names it: entries were removed or the log was replaced");
    }

    @Test
    void aDeletedLogAndHeadWithRecordsLeftIsFound() throws Exception {
        Files.delete(log.file());
        Files.delete(log.file().resolveSibling("audit.jsonl.head"));

        AuditReport report = log.verify(store);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).extracting(p -> p.kind().name())
                .containsExactly("RECORD_NOT_AUDITED", "RECORD_NOT_AUDITED");
        assertThat(report.problems()).map(AuditProblem::message)
                .anyMatch(m -> m.startsWith("the record of shop#1 (target shop-vms) is in the store"))
                .anyMatch(m -> m.startsWith("the record of shop#2 (target shop-vms) is in the store"));
    }

    @Test
    void aLogWhoseFirstEntriesWereRemovedAndTheRestRechainedNamesWhatIsLeftOut() throws Exception {
        // What a forger with the codec would write: a fresh, valid chain that leaves shop#1 out.
        Files.delete(log.file());
        Files.delete(log.file().resolveSibling("audit.jsonl.head"));
        log.append(AuditFixtures.deployed(AuditFixtures.record(2, "1.2")));

        AuditReport report = log.verify(store);

        assertThat(report.problems()).extracting(p -> p.kind().name()).containsExactly("RECORD_NOT_AUDITED");
        assertThat(report.problems().get(0).message()).contains("shop#1 (target shop-vms)");
    }

    @Test
    void anUnreadableRecordFileNoEntryNamesIsFoundToo() throws Exception {
        Path file = dir.resolve("records/shop-vms/shop/9.json");
        Files.writeString(file, "{");

        AuditReport report = log.verify(store);

        assertThat(report.problems()).extracting(p -> p.kind().name()).containsExactly("RECORD_NOT_AUDITED");
        assertThat(report.problems().get(0).message()).contains("shop#9 (target shop-vms)", "cannot be read", "9.json");
    }

    @Test
    void aRecordFileInNoBuildsPlaceIsFoundWithWhy() throws Exception {
        Path stray = dir.resolve("records/Hand Made/shop/1.json");
        Files.createDirectories(stray.getParent());
        Files.copy(dir.resolve("records/shop-vms/shop/1.json"), stray);

        AuditReport report = log.verify(store);

        assertThat(report.problems()).extracting(p -> p.kind().name()).containsExactly("RECORD_NOT_AUDITED");
        assertThat(report.problems().get(0).message()).contains("record file " + stray, "in no build's place",
                "filed under another target");
    }
}
