package dev.rollbackdeploy.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The point-in-time-recovery hook runs only when a person confirmed, and every run is audited. */
class RecoveryHookTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    private static final BuildRef SHOP_41 = new BuildRef("shop", 41);

    @TempDir
    Path dir;

    @Test
    void withoutConfirmationNothingRunsAndNothingIsWritten() {
        Path marker = dir.resolve("ran");
        RecoveryHook hook = hook(List.of("touch", marker.toString()));

        assertThatThrownBy(() -> hook.run(Optional.empty(), "shop-db", SHOP_41, Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only on explicit confirmation")
                .hasMessageContaining("nothing was run");

        assertThat(marker).doesNotExist();
        assertThat(dir.resolve("audit/audit.jsonl")).doesNotExist();
    }

    @Test
    void aConfirmedRecoveryRunsWithTheTargetAndIsAudited() throws Exception {
        Path marker = dir.resolve("ran");
        RecoveryHook hook = hook(List.of("sh", "-c", "echo \"$ROLLBACK_TARGET $ROLLBACK_TO_BUILD $ROLLBACK_RECOVER_TO\" > " + marker));

        RecoveryHook.Outcome outcome = hook.run(Optional.of(new RecoveryConfirmation("alice", "V3 dropped customer.name")),
                "shop-db", SHOP_41, Map.of("ROLLBACK_RECOVER_TO", "2026-12-04T11:00:00Z"));

        assertThat(Files.readString(marker).strip()).isEqualTo("shop-db shop#41 2026-12-04T11:00:00Z");
        assertThat(outcome.run().succeeded()).isTrue();
        assertThat(outcome.run().json().toString()).contains("\"program\":\"sh\"", "\"confirmedBy\":\"alice\"",
                "\"exitCode\":0").doesNotContain("ROLLBACK_TARGET");
        AuditEntry entry = new AuditLog(dir.resolve("audit/audit.jsonl")).read().get(0);
        assertThat(entry.event().action()).isEqualTo(AuditAction.RECOVERY);
        assertThat(entry.event().reason()).isEqualTo("V3 dropped customer.name");
        assertThat(entry.event().evidence()).contains("recovery command sh exited 0");
    }

    @Test
    void aFailingRecoveryIsRecordedAsFailed() throws Exception {
        RecoveryHook hook = hook(List.of("sh", "-c", "echo restore failed; exit 3"));

        RecoveryHook.Outcome outcome = hook.run(Optional.of(new RecoveryConfirmation("bob", "restore to before V3")),
                "shop-db", SHOP_41, Map.of());

        assertThat(outcome.run().exitCode()).isEqualTo(3);
        assertThat(outcome.outputLog()).startsWith(dir.resolve("recovery-logs"));
        assertThat(Files.readString(outcome.outputLog())).contains("restore failed");
        assertThat(new AuditLog(dir.resolve("audit/audit.jsonl")).read().get(0).event().evidence()).contains("exited 3");
    }

    private RecoveryHook hook(List<String> argv) {
        return new RecoveryHook(new RecoveryCommand(argv, Duration.ofSeconds(30)), new AuditLog(dir.resolve("audit/audit.jsonl")),
                CLOCK, dir.resolve("recovery-logs"));
    }
}
