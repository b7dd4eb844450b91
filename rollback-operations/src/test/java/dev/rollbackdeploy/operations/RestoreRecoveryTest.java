package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.database.RecoveryHook;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import dev.rollbackdeploy.traffic.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore with point-in-time recovery, against a real PostgreSQL migrated by Flyway and a real HAProxy:
 * shop#41 ran at schema V1 (a dump was taken then), shop#42 added an expand and a contract migration, so
 * the schema check refuses shop#41 — until the recovery command (a script restoring the dump) has put the
 * database back, after which the check passes and the restore proceeds.
 */
class RestoreRecoveryTest {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String DATABASE = "shop";
    private static final BuildRef SHOP_45 = new BuildRef("shop", 45);
    private static LocalPostgres postgres;
    private static LocalHAProxy haproxy;
    private static Path bin;

    @TempDir
    Path dir;

    private RestoreFixture target;
    private String schema;
    private Path migrations;

    @BeforeAll
    static void start() throws Exception {
        postgres = LocalPostgres.start();
        postgres.createDatabase(DATABASE);
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("stable1", 1, 100),
                new LocalHAProxy.Server("canary1", 2, 0)));
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.max(Comparator.naturalOrder()).orElseThrow().resolve("bin");
        }
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void shop41AtV1DumpedThenShop42WithAContractMigration() throws Exception {
        schema = "r" + SCHEMAS.incrementAndGet();
        migrations = Files.createDirectories(dir.resolve("migrations"));
        migration("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);");
        run(List.of(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p", String.valueOf(postgres.port()), "-U",
                LocalPostgres.USER, "-n", schema, "-f", dir.resolve("at-shop41.sql").toString(), DATABASE));
        target = new RestoreFixture(dir, haproxy).shop42LiveAfterShop41();
        migration("V2__expand_add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name text;");
        migration("V3__contract_drop_name.sql", "ALTER TABLE customer DROP COLUMN name;");
    }

    @Test
    void aConfirmedRecoveryPutsTheSchemaBackSoTheCheckPassesAndTheRestoreProceeds() throws Exception {
        assertThatThrownBy(() -> Restore.run(target.context(), checked())).as("without the recovery the check refuses")
                .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationException.Kind.REFUSED)).hasMessageContaining("V3__contract_drop_name.sql");
        assertThat(target.canary()).isEqualTo(Weight.of(100));

        RestoreResult result = Restore.run(target.context(), checked().withRecovery(Optional.of(recovery(restoreScript())))
                .withRecordAs(Optional.of(SHOP_45)));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.RESTORED);
        assertThat(result.writes()).isEqualTo(1);
        assertThat(target.canary()).isEqualTo(Weight.NONE);
        assertThat(result.schema().orElseThrow().summary()).contains("schema 1 is compatible");
        assertThat(result.recovery().orElseThrow().exitCode()).isZero();
        assertThat(postgres.psql(DATABASE, "SELECT max(version) FROM " + schema + ".flyway_schema_history")).isEqualTo("1");
        assertThat(postgres.psql(DATABASE, "SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                + schema + "' AND table_name = 'customer' AND column_name = 'name'")).isEqualTo("1");
        String script = restoreScript().toString();
        assertThat(target.log).anyMatch(l -> l.contains("recovery command " + script + " exited 0"));

        List<AuditEntry> audit = target.audit();
        assertThat(audit).extracting(e -> e.event().action()).containsSubsequence(AuditAction.RECOVERY, AuditAction.ROLLBACK);
        AuditEntry recovery = audit.stream().filter(e -> e.event().action() == AuditAction.RECOVERY).findFirst().orElseThrow();
        assertThat(recovery.event().actor()).isEqualTo("alice");
        assertThat(recovery.event().reason()).isEqualTo("shop#42's contract migration broke checkout");
        AuditEntry rollback = audit.get(audit.size() - 1);
        assertThat(rollback.event().action()).isEqualTo(AuditAction.ROLLBACK);
        assertThat(rollback.event().evidence()).contains("1 writes", "schema 1 is compatible", "exited 0");
        assertThat(rollback.event().record().build()).isEqualTo(SHOP_45);

        DeploymentRecord record = target.load(SHOP_45);
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ROLLED_BACK);
        assertThat(record.safety().recoveryJson().orElseThrow().toString()).contains("\"confirmedBy\":\"alice\"",
                "\"exitCode\":0", "\"program\":\"" + restoreScript() + "\"");
        assertThat(record.safety().schemaCheckJson().orElseThrow().toString()).contains("\"decision\":\"COMPATIBLE\"");
        assertThat(target.auditIntact()).isTrue();
        Path output = Files.list(dir.resolve("recovery-logs")).findFirst().orElseThrow();
        assertThat(Files.readString(output)).as("the command's environment")
                .contains("recovering shop-vms for shop#41 to 2026-12-04T11:00:00Z");
    }

    @Test
    void aFailingRecoveryWritesNothingToTheTargetAndIsAudited() throws Exception {
        Path failing = script("fail.sh", "echo 'pgbackrest: no backup before that time'; exit 1");

        assertThatThrownBy(() -> Restore.run(target.context(), checked().withRecovery(Optional.of(recovery(failing)))
                .withRecordAs(Optional.of(SHOP_45))))
                .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationException.Kind.INFRASTRUCTURE))
                .hasMessageContaining("recovery command " + failing + " exited 1")
                .hasMessageContaining("nothing else was changed; its output: " + dir.resolve("recovery-logs"));

        assertThat(target.canary()).isEqualTo(Weight.of(100));
        assertThat(target.locked()).isFalse();
        assertThat(postgres.psql(DATABASE, "SELECT max(version) FROM " + schema + ".flyway_schema_history")).isEqualTo("3");
        List<AuditEntry> audit = target.audit();
        assertThat(audit).extracting(e -> e.event().action()).containsExactly(AuditAction.RECOVERY, AuditAction.ROLLBACK);
        assertThat(audit.get(0).event().evidence()).contains("exited 1");
        assertThat(audit.get(1).event().reason()).startsWith("FAILED after 0 writes");
        assertThat(target.context().records().list(RestoreFixture.TARGET)).extracting(s -> s.build())
                .doesNotContain(SHOP_45);
        assertThat(target.auditIntact()).isTrue();
    }

    @Test
    void aRecoveryThatOutrunsItsTimeoutIsStoppedAndNothingElseChanges() throws Exception {
        Path slow = script("slow.sh", "exec sleep 30");
        RestoreRequest.Recovery recovery = new RestoreRequest.Recovery(new RecoveryHook(new RecoveryCommand(
                List.of(slow.toString()), Duration.ofSeconds(1)), AuditLog.besideStore(dir.resolve("records")),
                Clock.systemUTC(), dir.resolve("recovery-logs")), new RecoveryConfirmation("alice", "put the schema back"),
                Map.of());

        assertThatThrownBy(() -> Restore.run(target.context(), checked().withRecovery(Optional.of(recovery))))
                .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationException.Kind.INFRASTRUCTURE))
                .hasMessageContaining("recovery command " + slow + " timed out").hasMessageContaining("nothing else was changed");

        assertThat(target.canary()).isEqualTo(Weight.of(100));
        assertThat(target.locked()).isFalse();
        assertThat(target.audit()).extracting(e -> e.event().action()).containsExactly(AuditAction.RECOVERY,
                AuditAction.ROLLBACK);
    }

    @Test
    void withoutAConfirmationNothingRunsAndADryRunOnlySaysItWould() throws Exception {
        Path marker = dir.resolve("ran");
        Path touching = script("touch.sh", "touch " + marker);
        RecoveryHook hook = hook(touching);

        assertThatThrownBy(() -> new RestoreRequest.Recovery(hook, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a person's confirmation");
        assertThatThrownBy(() -> hook.run(Optional.empty(), RestoreFixture.TARGET, RestoreFixture.SHOP_41, Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("runs only on explicit confirmation");
        RestoreResult dryRun = Restore.run(target.context(), checked().withRecovery(Optional.of(recovery(touching)))
                .withDryRun(true));

        assertThat(dryRun.status()).isEqualTo(RestoreResult.Status.DRY_RUN);
        assertThat(dryRun.summary()).contains("the recovery command would run first");
        assertThat(marker).doesNotExist();
        assertThat(target.audit()).isEmpty();
    }

    @Test
    void anOverrideProceedsAndItsReasonIsInTheRecordAndTheAuditLog() throws Exception {
        RestoreResult result = Restore.run(target.context(), checked()
                .withSchemaOverride("shop#41 never reads customer.name").withRecordAs(Optional.of(SHOP_45)));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.RESTORED);
        assertThat(target.load(SHOP_45).safety().schemaCheckJson().orElseThrow().toString()).contains(
                "\"decision\":\"OVERRIDDEN\"", "\"by\":\"tester\"", "\"reason\":\"shop#41 never reads customer.name\"",
                "V3__contract_drop_name.sql");
        assertThat(target.audit()).extracting(e -> e.event().action()).containsSubsequence(AuditAction.OVERRIDE,
                AuditAction.ROLLBACK);
        assertThat(target.audit().stream().filter(e -> e.event().action() == AuditAction.OVERRIDE).findFirst()
                .orElseThrow().event().reason()).isEqualTo("shop#41 never reads customer.name");
        assertThat(target.auditIntact()).isTrue();
    }

    private RestoreRequest checked() throws Exception {
        Datasource datasource = Datasource.of("datasource", postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null, "flyway",
                schema + ".flyway_schema_history");
        return target.request(RestoreFixture.SHOP_41).withSchema(Optional.of(datasource.preflight()));
    }

    private RestoreRequest.Recovery recovery(Path command) {
        return new RestoreRequest.Recovery(hook(command), new RecoveryConfirmation("alice",
                "shop#42's contract migration broke checkout"), Map.of("ROLLBACK_RECOVER_TO", "2026-12-04T11:00:00Z",
                "PG_BIN", bin.toString(), "PG_PORT", String.valueOf(postgres.port()), "PG_SCHEMA", schema,
                "PG_DUMP", dir.resolve("at-shop41.sql").toString()));
    }

    private RecoveryHook hook(Path command) {
        return new RecoveryHook(new RecoveryCommand(List.of(command.toString()), Duration.ofMinutes(1)),
                AuditLog.besideStore(dir.resolve("records")), Clock.systemUTC(), dir.resolve("recovery-logs"));
    }

    /** What a team's point-in-time recovery does here: the schema as it was when shop#41 deployed. */
    private Path restoreScript() throws Exception {
        Path script = dir.resolve("restore-to.sh");
        if (Files.exists(script)) {
            return script;
        }
        String psql = "\"$PG_BIN/psql\" -h 127.0.0.1 -p \"$PG_PORT\" -U postgres -d " + DATABASE + " -v ON_ERROR_STOP=1 -q";
        return script("restore-to.sh", "set -e\necho \"recovering $ROLLBACK_TARGET for $ROLLBACK_TO_BUILD to "
                + "$ROLLBACK_RECOVER_TO\"\n" + psql + " -c \"DROP SCHEMA $PG_SCHEMA CASCADE\"\n" + psql + " -f \"$PG_DUMP\"");
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private void migration(String name, String sql) throws Exception {
        Files.writeString(migrations.resolve(name), sql);
        Flyway.configure().dataSource(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null).schemas(schema)
                .locations("filesystem:" + migrations).load().migrate();
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
    }
}
