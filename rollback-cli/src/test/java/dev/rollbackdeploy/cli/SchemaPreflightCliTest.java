package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rollback --to} with the schema check, against a real PostgreSQL migrated by Flyway: shop#41
 * was recorded at schema V1 (read from the database), shop#42 is live, and later migrations decide
 * whether shop#41 may come back. Each test has its own schema of one database.
 */
class SchemaPreflightCliTest extends ShopOnPostgresCliTest {



    @BeforeEach
    void shop41AtV1AndShop42Live() throws Exception {
        migration("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);");
        assertThat(record(41, "--datasource", postgres.jdbcUrl(DATABASE), "--datasource-user", LocalPostgres.USER,
                "--schema-table", schema + ".flyway_schema_history")).as(last.err()).isZero();
        assertThat(last.err()).contains("schema version 1 read from flyway " + schema + ".flyway_schema_history");
        assertThat(record(42, "--schema-version", "1")).as(last.err()).isZero();
        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#42"))
                .as(last.err()).isZero();
    }

    @Test
    void onlyExpandMigrationsSinceTheTargetProceed() throws Exception {
        migration("V2__expand_add_email.sql", "ALTER TABLE customer ADD COLUMN email text;");

        assertThat(rollbackTo41()).as(last.err()).isZero();

        assertThat(last.err()).contains("schema check: schema 2 is compatible: only expand migrations since",
                "restored shop#41");
        assertThat(last.out()).contains("\"decision\" : \"COMPATIBLE\"", "\"from\" : \"shop#42\"");
        assertThat(audit()).containsPattern("ROLLBACK +shop-local +shop#42 -> shop#41 +by \\S+: rollback --to shop#41");
    }

    @Test
    void aContractMigrationSinceTheTargetIsRefusedNamingTheMigrationsAndChangesNothing() throws Exception {
        contractSinceV1();
        String liveBefore = liveFiles();

        assertThat(rollbackTo41()).isEqualTo(6);

        assertThat(last.err()).contains("rollback to shop#41 refused", "V3 \"contract drop name\" (V3__contract_drop_name.sql)",
                "V2 \"expand add full name\"", "nothing was changed");
        assertThat(liveFiles()).isEqualTo(liveBefore);
        assertThat(audit()).containsPattern("ROLLBACK +shop-local +shop#42 -> shop#41 +by \\S+: REFUSED: rollback --to shop#41");
    }

    @Test
    void anOverrideProceedsAndItsReasonIsInTheResultAndTheAuditLog() throws Exception {
        contractSinceV1();

        assertThat(rollbackTo41("--override-schema", "shop#41 never reads customer.name")).as(last.err()).isZero();

        assertThat(last.out()).contains("\"decision\" : \"OVERRIDDEN\"", "\"reason\" : \"shop#41 never reads customer.name\"");
        String audit = audit();
        assertThat(audit).containsPattern("OVERRIDE +shop-local +shop#42 -> shop#41 +by \\S+: shop#41 never reads customer.name")
                .containsPattern("ROLLBACK +shop-local +shop#42 -> shop#41 .*schema: OVERRIDDEN by");
        assertThat(run("audit", "--store", store(), "--verify")).as(last.out() + last.err()).isZero();
    }

    @Test
    void theSpecsDatasourceIsCheckedWhenNoDatasourceOptionIsGiven() throws Exception {
        contractSinceV1();
        String liveBefore = liveFiles();
        Path spec = Files.writeString(work.resolve("deploy.yaml"), """
                build: shop#43
                datasource:
                  url: %s
                  user: %s
                  table: %s.flyway_schema_history
                """.formatted(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, schema));

        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#41",
                "--spec", spec.toString())).isEqualTo(6);

        assertThat(last.err()).contains("rollback to shop#41 refused", "V3 \"contract drop name\"");
        assertThat(liveFiles()).isEqualTo(liveBefore);
    }

    @Test
    void anUnreachableDatabaseIsRefusedEvenWithAnOverride() throws Exception {
        String liveBefore = liveFiles();
        String down = "jdbc:postgresql://127.0.0.1:" + freePort() + "/" + DATABASE;

        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#41",
                "--datasource", down, "--override-schema", "the database is surely fine")).isEqualTo(6);

        assertThat(last.err()).contains("the schema cannot be checked", "refusing rather than rolling back blindly");
        assertThat(liveFiles()).isEqualTo(liveBefore);
    }

    @Test
    void badSchemaInputIsAClearErrorAndChangesNothing() throws Exception {
        String liveBefore = liveFiles();
        String auditBefore = audit();

        assertThat(record(43, "--schema-version", "v1-beta")).isEqualTo(2);
        assertThat(last.err()).contains("schema.ranWith", "'v1-beta'", "2.1.0");
        assertThat(run("history", "--store", store(), "--target", "shop-local")).isZero();
        assertThat(last.out()).doesNotContain("shop#43");

        assertThat(rollbackTo41("--schema-tool", "mongo")).isEqualTo(2);
        assertThat(last.err()).contains("--datasource.tool must be flyway or liquibase, got 'mongo'");
        assertThat(rollbackTo41("--override-schema", "trust me")).isEqualTo(2);
        assertThat(last.err()).contains("at least 10 characters", "nothing was changed");
        assertThat(liveFiles()).isEqualTo(liveBefore);
        assertThat(audit()).as("bad input writes no audit entry either").isEqualTo(auditBefore);
    }

    private void contractSinceV1() throws Exception {
        migration("V2__expand_add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name text;");
        migration("V3__contract_drop_name.sql", "ALTER TABLE customer DROP COLUMN name;");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
