package dev.rollbackdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.audit.AuditProblem.Kind;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log pins a record by the bytes the store holds, not by what today's codec would write for
 * it: a record written by an older codec (other bytes, same content) still verifies, and a record
 * rewritten in place with other bytes is flagged even when it still reads as the same record.
 */
class StoredRecordPinTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private AuditLog log;
    private FileRecordStore store;
    private DeploymentRecord record;
    private Path file;

    @BeforeEach
    void oneSavedRecord() throws Exception {
        log = new AuditLog(dir.resolve("audit/audit.jsonl"));
        store = new FileRecordStore(dir.resolve("records"));
        record = AuditFixtures.record(7, "1.7");
        store.save(record);
        file = dir.resolve("records/shop-vms/shop/7.json");
        assertThat(file).exists();
    }

    @Test
    void pinsTheSha256OfTheStoredBytes() throws Exception {
        assertThat(RecordRef.stored(store, record.ref()))
                .isEqualTo(new RecordRef(record.ref(), Digest.sha256Of(Files.readAllBytes(file))));
        assertThat(store.storedHash(record.ref())).isEqualTo(RecordRef.of(record).contentHash());
    }

    @Test
    void anUntouchedRecordInAnotherEncodingVerifies() throws Exception {
        // As an older codec might have written it: the same record, other bytes.
        rewriteWithOtherBytes();
        assertThat(store.load(record.ref())).isEqualTo(record);
        log.append(deployed(RecordRef.stored(store, record.ref())));

        AuditReport report = log.verify(store);

        assertThat(report.problems()).isEmpty();
        assertThat(report.intact()).isTrue();
    }

    @Test
    void aRecordRewrittenInPlaceWithOtherBytesIsFlagged() throws Exception {
        log.append(deployed(RecordRef.stored(store, record.ref())));
        rewriteWithOtherBytes();
        assertThat(store.load(record.ref())).as("still reads as the same record").isEqualTo(record);

        AuditReport report = log.verify(store);

        assertThat(report.problems()).extracting(AuditProblem::kind).containsExactly(Kind.RECORD_REPLACED);
        assertThat(report.problems().get(0).message()).contains("record of shop#7 hashes to");
    }

    @Test
    void anUntouchedRecordVerifies() throws Exception {
        log.append(deployed(RecordRef.stored(store, record.ref())));

        assertThat(log.verify(store).problems()).isEmpty();
    }

    @Test
    void pinningARecordThatIsNotStoredIsRefused() {
        assertThatThrownBy(() -> RecordRef.stored(store, new BuildRef("shop", 8)))
                .isInstanceOf(NoSuchRecordException.class);
    }

    private void rewriteWithOtherBytes() throws Exception {
        byte[] canonical = new RecordCodec().encode(record);
        byte[] pretty = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(json.readTree(canonical));
        assertThat(pretty).isNotEqualTo(canonical);
        Files.write(file, pretty);
    }

    private AuditEvent deployed(RecordRef ref) {
        return new AuditEvent(record.finishedAt(), "jenkins", AuditAction.DEPLOY, AuditFixtures.TARGET, null,
                record.ref(), "promoted", "", ref);
    }
}
