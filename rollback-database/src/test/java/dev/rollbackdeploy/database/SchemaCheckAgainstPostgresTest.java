package dev.rollbackdeploy.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.schema.MigrationClassifier;
import dev.rollbackdeploy.schema.SchemaDecision;
import dev.rollbackdeploy.schema.SchemaDecision.Cause;
import dev.rollbackdeploy.schema.SchemaDecision.Overridden;
import dev.rollbackdeploy.schema.SchemaDecision.Proceed;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaOverride;
import dev.rollbackdeploy.schema.SchemaPreflight;
import dev.rollbackdeploy.schema.SchemaRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema check before a rollback, against a real PostgreSQL whose schema Flyway migrates: build
 * shop#41 was deployed at V1; a later build's migrations decide whether shop#41 may come back.
 */
class SchemaCheckAgainstPostgresTest {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String DATABASE = "app";
    private static LocalPostgres postgres;

    @TempDir
    Path dir;

    /** Each test gets its own schema of one database: cheaper than a database each. */
    private String schema;
    private Path migrations;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.start();
        postgres.createDatabase(DATABASE);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void freshDatabaseAtV1() throws Exception {
        schema = "t" + SCHEMAS.incrementAndGet();
        migrations = Files.createDirectories(dir.resolve("db/migration"));
        write("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);");
        migrate();
    }

    @Test
    void onlyExpandMigrationsSinceTheTargetProceeds() throws Exception {
        SchemaRequirement shop41 = preflight().current(SchemaRequirement.Source.FLYWAY);
        write("V2__expand_add_email.sql", "ALTER TABLE customer ADD COLUMN email text;");
        write("V3__expand_index_email.sql", "CREATE INDEX customer_email ON customer (email);");
        migrate();

        SchemaDecision decision = preflight().check("shop#41", shop41, Optional.empty());

        assertThat(shop41.ranWith()).hasToString("1");
        assertThat(decision).isInstanceOf(Proceed.class);
        assertThat(decision.summary()).contains("schema 3 is compatible", "V2 \"expand add email\"", "V3 \"expand index email\"");
    }

    @Test
    void aContractMigrationSinceTheTargetRefusesNamingTheMigrations() throws Exception {
        SchemaRequirement shop41 = preflight().current(SchemaRequirement.Source.FLYWAY);
        contractSinceV1();

        SchemaDecision decision = preflight().check("shop#41", shop41, Optional.empty());

        assertThat(decision).isInstanceOfSatisfying(Refuse.class, refuse -> {
            assertThat(refuse.cause()).isEqualTo(Cause.INCOMPATIBLE);
            assertThat(refuse.blocking()).extracting(c -> c.migration().script()).containsExactly("V3__contract_drop_name.sql");
            assertThat(refuse.between()).extracting(c -> c.migration().script())
                    .containsExactly("V2__expand_add_full_name.sql", "V3__contract_drop_name.sql");
        });
        assertThat(decision.proceeds()).isFalse();
        assertThat(decision.summary()).contains("rollback to shop#41 refused", "live schema is 3",
                "V3 \"contract drop name\" (V3__contract_drop_name.sql) contract", "V2 \"expand add full name\"");
    }

    @Test
    void anOverrideProceedsAndItsReasonIsRecordedAndAudited() throws Exception {
        SchemaRequirement shop41 = preflight().current(SchemaRequirement.Source.FLYWAY);
        contractSinceV1();
        SchemaOverride override = new SchemaOverride("alice", "shop#41 never reads customer.name (checked in code)");

        SchemaDecision decision = preflight().check("shop#41", shop41, Optional.of(override));
        // What the front door does with an override: record it and audit it.
        AuditLog audit = new AuditLog(dir.resolve("audit/audit.jsonl"));
        audit.append(new AuditEvent(Instant.parse("2026-12-04T12:00:00Z"), override.by(), AuditAction.OVERRIDE,
                "shop-vms", new BuildRef("shop", 42), new BuildRef("shop", 41), override.reason(), decision.summary(), null));

        assertThat(decision).isInstanceOf(Overridden.class);
        assertThat(decision.proceeds()).isTrue();
        assertThat(SchemaJson.decision(decision).toString()).contains("\"decision\":\"OVERRIDDEN\"",
                "\"reason\":\"shop#41 never reads customer.name (checked in code)\"", "V3__contract_drop_name.sql");
        AuditEntry entry = audit.read().get(0);
        assertThat(entry.event().reason()).isEqualTo(override.reason());
        assertThat(entry.event().evidence()).contains("OVERRIDDEN by alice", "V3__contract_drop_name.sql");
        assertThat(audit.verify(new FileRecordStore(dir.resolve("records"))).intact()).isTrue();
    }

    @Test
    void anUnknownSchemaVersionFormatIsRefusedAndChangesNothing() throws Exception {
        String before = postgres.psql(DATABASE, "SELECT count(*) FROM " + schema + ".flyway_schema_history");

        assertThatThrownBy(() -> SchemaRequirement.declared("v1-beta", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.ranWith").hasMessageContaining("'v1-beta'").hasMessageContaining("2.1.0");
        assertThatThrownBy(() -> new FlywaySchemaHistory(jdbc(), "history; DROP TABLE customer"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history table");

        assertThat(postgres.psql(DATABASE, "SELECT count(*) FROM " + schema + ".flyway_schema_history")).isEqualTo(before);
        assertThat(postgres.psql(DATABASE, "SELECT count(*) FROM " + schema + ".customer")).isEqualTo("0");
    }

    @Test
    void aDatabaseWithoutTheHistoryTableRefusesNamingIt() throws Exception {
        SchemaPreflight preflight = new SchemaPreflight(new FlywaySchemaHistory(jdbc(), schema + ".other_history"),
                MigrationClassifier.byName());

        SchemaDecision decision = preflight.check("shop#41", SchemaRequirement.declared("1", null, null), Optional.empty());

        assertThat(decision).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.cause()).isEqualTo(Cause.UNAVAILABLE));
        assertThat(decision.summary()).contains("other_history at jdbc:postgresql://127.0.0.1:", "does not exist",
                "refusing rather than rolling back blindly");
    }

    @Test
    void liquibaseChangesetsAreVersionsInOrderExecuted() throws Exception {
        postgres.psql(DATABASE, "CREATE TABLE " + schema + ".databasechangelog (id varchar(255) NOT NULL, author varchar(255) NOT NULL, "
                + "filename varchar(255) NOT NULL, dateexecuted timestamp NOT NULL, orderexecuted int NOT NULL, "
                + "exectype varchar(10) NOT NULL, md5sum varchar(35), description varchar(255), comments varchar(255), "
                + "tag varchar(255), liquibase varchar(20), contexts varchar(255), labels varchar(255), "
                + "deployment_id varchar(10))");
        postgres.psql(DATABASE, "INSERT INTO " + schema + ".databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype) "
                + "VALUES ('create-customer', 'dev', 'changelog.yaml', now(), 1, 'EXECUTED'), "
                + "('expand-add-email', 'dev', 'changelog.yaml', now(), 2, 'EXECUTED'), "
                + "('contract-drop-name', 'dev', 'changelog.yaml', now(), 3, 'EXECUTED')");
        SchemaPreflight preflight = new SchemaPreflight(new LiquibaseChangelog(jdbc(), schema + ".databasechangelog"), MigrationClassifier.byName());

        SchemaDecision toFirst = preflight.check("shop#41", SchemaRequirement.declared("1", null, null), Optional.empty());
        SchemaDecision toSecond = preflight.check("shop#42", SchemaRequirement.declared("2", null, null), Optional.empty());

        assertThat(toFirst.summary()).contains("refused", "V3 \"contract-drop-name\" (changelog.yaml::dev) contract");
        assertThat(toSecond.summary()).contains("refused");
        assertThat(preflight.check("shop#43", SchemaRequirement.declared("3", null, null), Optional.empty()))
                .isInstanceOf(Proceed.class);
    }

    private void contractSinceV1() throws Exception {
        write("V2__expand_add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name text;");
        write("V3__contract_drop_name.sql", "ALTER TABLE customer DROP COLUMN name;");
        migrate();
    }

    private SchemaPreflight preflight() {
        return new SchemaPreflight(new FlywaySchemaHistory(jdbc(), schema + ".flyway_schema_history"),
                MigrationClassifier.byName());
    }

    private JdbcTarget jdbc() {
        return new JdbcTarget(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null);
    }

    private void write(String name, String sql) throws Exception {
        Files.writeString(migrations.resolve(name), sql);
    }

    private void migrate() {
        Flyway.configure().dataSource(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null).schemas(schema)
                .locations("filesystem:" + migrations).load().migrate();
    }
}
