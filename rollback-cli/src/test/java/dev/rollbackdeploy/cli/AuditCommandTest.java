package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.record.BuildRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollback audit}: shows the log, and --verify exits 6 on tampering. */
class AuditCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path store;
    private AuditLog log;

    @BeforeEach
    void twoTargetsInTheLog() throws Exception {
        store = dir.resolve(".rollback/records");
        log = AuditLog.besideStore(store);
        log.append(new AuditEvent(CLOCK.instant(), "alice", AuditAction.ROLLBACK, "shop-vms", new BuildRef("shop", 42),
                new BuildRef("shop", 41), "5xx after the release", "5xx 4.1% vs 0.2%", null));
        log.append(new AuditEvent(CLOCK.instant(), "bob", AuditAction.DEPLOY, "cart-vms", null, new BuildRef("cart", 7),
                "promoted", "", null));
    }

    @Test
    void showsOneTargetsEntries() {
        CliRun run = CliRun.of(CLOCK, "audit", "--store", store.toString(), "--target", "shop-vms");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ROLLBACK", "shop#42 -> shop#41", "by alice: 5xx after the release",
                "[5xx 4.1% vs 0.2%]").doesNotContain("cart");
    }

    @Test
    void verifyOfAnUntouchedLogExitsZero() {
        CliRun run = CliRun.of(CLOCK, "--json", "audit", "--verify", "--store", store.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"intact\" : true", "\"seq\" : 2");
    }

    @Test
    void verifyWhereNoLogExistsSaysSoInsteadOfIntact(@TempDir Path elsewhere) {
        // a typo in --store used to answer "0 entries, intact"
        CliRun run = CliRun.of(CLOCK, "audit", "--verify", "--store", elsewhere.resolve("recrods").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("no audit log at " + elsewhere.resolve("audit").resolve("audit.jsonl"),
                "nothing has been audited with this store yet").doesNotContain("intact");
    }

    @Test
    void verifyOfAnEditedLogExitsSixNamingTheEntry() throws Exception {
        Files.writeString(log.file(), Files.readString(log.file()).replace("by alice", "x").replace("alice", "mallory"));

        CliRun run = CliRun.of(CLOCK, "audit", "--verify", "--store", store.toString());

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.out()).contains("TAMPERED", "EDITED", "entry #1 was edited");
        assertThat(run.err()).contains("audit log verification failed");
    }

    @Test
    void showingACutOffLogExitsSix() throws Exception {
        byte[] bytes = Files.readAllBytes(log.file());
        Files.write(log.file(), java.util.Arrays.copyOf(bytes, bytes.length - 5));

        CliRun run = CliRun.of(CLOCK, "audit", "--store", store.toString());

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.err()).contains("cut off");
    }
}
