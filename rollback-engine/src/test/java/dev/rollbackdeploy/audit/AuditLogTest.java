package dev.rollbackdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain, the head and the append's refusals, on one real file. */
class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void appendedEntriesChainAndVerify() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit/audit.jsonl"));
        FileRecordStore store = new FileRecordStore(dir.resolve("records"));
        DeploymentRecord record = AuditFixtures.record(7, "1.7");
        store.save(record);

        AuditEntry first = log.append(AuditFixtures.deployed(record));
        AuditEntry second = log.append(AuditFixtures.event(2));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prev()).isEqualTo(AuditEntry.GENESIS);
        assertThat(second.prev()).isEqualTo(first.hash());
        assertThat(log.read()).containsExactly(first, second);
        AuditReport report = log.verify(store);
        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).containsExactly(first, second);
    }

    @Test
    void anEventIsReadBackWithEveryField() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"));
        AuditEvent deployed = AuditFixtures.deployed(AuditFixtures.record(3, "1.3"));
        AuditEvent event = new AuditEvent(deployed.at(), "bob", AuditAction.OVERRIDE, "shop-vms",
                new dev.rollbackdeploy.record.BuildRef("shop", 4), deployed.to(), "a \"quoted\" ünïcode\nreason",
                "evidence\twith tab", deployed.record());

        log.append(event);

        assertThat(log.read()).singleElement().extracting(AuditEntry::event).isEqualTo(event);
    }

    @Test
    void aBadEventIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> new AuditEvent(AuditFixtures.T0, "alice", AuditAction.ABORT, "shop", null, null, " ",
                "", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> new AuditEvent(AuditFixtures.T0, "al\nice", AuditAction.ABORT, "shop", null, null,
                "why", "", null)).hasMessageContaining("actor").hasMessageContaining("al\nice");
        assertThat(dir.resolve("audit.jsonl")).doesNotExist();
    }

    @Test
    void appendRefusesACutOffLastLineAndWritesNothing() throws Exception {
        AuditLog log = logWith(3);
        byte[] bytes = Files.readAllBytes(log.file());
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 20);
        Files.write(log.file(), cut);

        assertThatThrownBy(() -> log.append(AuditFixtures.event(4)))
                .isInstanceOf(AuditLogCorruptException.class)
                .hasMessageContaining("incomplete line").hasMessageContaining("Nothing was appended");
        assertThat(Files.readAllBytes(log.file())).isEqualTo(cut);
    }

    @Test
    void appendRefusesAnEditedLastLine() throws Exception {
        AuditLog log = logWith(2);
        String text = Files.readString(log.file()).replace("rollback number 2", "rollback number 9");
        Files.writeString(log.file(), text);

        assertThatThrownBy(() -> log.append(AuditFixtures.event(3)))
                .isInstanceOf(AuditLogCorruptException.class).hasMessageContaining("entry #2) was edited");
        assertThat(Files.readString(log.file())).isEqualTo(text);
    }

    @Test
    void appendRefusesALogWhoseLastEntriesWereRemoved() throws Exception {
        AuditLog log = logWith(3);
        List<String> lines = Files.readAllLines(log.file());
        Files.write(log.file(), lines.subList(0, 2));

        assertThatThrownBy(() -> log.append(AuditFixtures.event(4)))
                .isInstanceOf(AuditLogCorruptException.class).hasMessageContaining("head says #3");
    }

    @Test
    void twoThreadsAppendingNeverInterleaveOrFork() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                AuditLog own = new AuditLog(dir.resolve("audit.jsonl"));
                writers.add(pool.submit(() -> {
                    for (int i = 1; i <= 15; i++) {
                        own.append(AuditFixtures.event(i));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        AuditReport report = log.verify(new FileRecordStore(dir.resolve("records")));
        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).extracting(AuditEntry::seq).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 30).boxed().toList());
    }

    @Test
    void aCrashBetweenTheLineAndTheHeadIsNotTampering() throws Exception {
        AuditLog log = logWith(2);
        byte[] headAfterOne = new Head(1, log.read().get(0).hash()).bytes();
        Files.write(log.headFile(), headAfterOne);

        assertThat(log.verify(new FileRecordStore(dir.resolve("records"))).problems()).isEmpty();
        assertThat(log.append(AuditFixtures.event(3)).seq()).isEqualTo(3);
        assertThat(log.verify(new FileRecordStore(dir.resolve("records"))).problems()).isEmpty();
    }

    @Test
    void recordContentHashIsTheHashOfTheStoredFile() throws Exception {
        FileRecordStore store = new FileRecordStore(dir.resolve("records"));
        DeploymentRecord record = AuditFixtures.record(5, "1.5");
        store.save(record);
        Path file = dir.resolve("records/shop-vms/shop/5.json");

        assertThat(RecordRef.of(record).contentHash()).isEqualTo(
                dev.rollbackdeploy.image.Digest.sha256Of(Files.readAllBytes(file)));
        assertThat(new String(new RecordCodec().encode(record), StandardCharsets.UTF_8)).isEqualTo(Files.readString(file));
    }

    private AuditLog logWith(int events) throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"));
        for (int i = 1; i <= events; i++) {
            log.append(AuditFixtures.event(i));
        }
        return log;
    }
}
