package dev.rollbackdeploy.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.audit.AuditReport;
import dev.rollbackdeploy.audit.RecordRef;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.FileRecordStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record the local drill saves (its baseline, the faulty candidate StagingDrill records, the
 * healthy candidate) is audited, so its own store verifies intact against its own log. Real HAProxy,
 * Prometheus and sample services, one timed switch (the switching figures are LocalDrillTest's).
 */
class LocalDrillAuditTest {

    @TempDir
    Path dir;

    @Test
    void everyRecordTheDrillSavesIsNamedByAnEntryAndTheLogVerifiesIntact() throws Exception {
        DrillReportWriter report = new DrillReportWriter(dir.resolve("drill.html"), Clock.systemUTC(), line -> { });

        LocalDrill.Outcome outcome = new LocalDrill(new LocalDrill.Options(100, 0.3, 1, Duration.ofSeconds(60)),
                Clock.systemUTC(), line -> { }).run(report);

        assertThat(outcome.passed()).as(String.join("; ", outcome.problems())).isTrue();
        assertThat(outcome.records()).isEqualTo(outcome.records().getParent().resolve("records"));
        FileRecordStore store = new FileRecordStore(outcome.records());
        AuditLog log = AuditLog.besideStore(outcome.records());
        AuditReport verified = log.verify(store);
        assertThat(verified.problems()).isEmpty();
        assertThat(verified.entries()).filteredOn(e -> e.event().record() != null)
                .extracting(e -> e.event().action(), e -> e.event().record())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AuditAction.DEPLOY, pin(store, "drill/local#1")),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.ABORT, pin(store, "drill/local#2")),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.DEPLOY, pin(store, "drill/local#3")));
        assertThat(verified.entries()).extracting(AuditEntry::event).allMatch(e -> e.actor().equals("rollback drill"));
    }

    private static RecordRef pin(FileRecordStore store, String build) throws Exception {
        return RecordRef.stored(store, BuildRef.parse(build));
    }
}
