package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollback --to} with the schema check, against a real PostgreSQL migrated by Flyway: shop#41
 * was recorded at schema V1 (read from the database), shop#42 is live, and later migrations decide
 * whether shop#41 may come back. Each test has its own schema of one database.
 */
class SchemaPreflightCliTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "shop");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String DATABASE = "shop";
    private static LocalPostgres postgres;

    @TempDir
    Path work;

    private String schema;
    private Path migrations;
    private CliRun last;

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
    void shop41AtV1AndShop42Live() throws Exception {
        schema = "s" + SCHEMAS.incrementAndGet();
        migrations = Files.createDirectories(work.resolve("migrations"));
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

    private int rollbackTo41(String... extra) {
        String[] base = {"--json", "rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to",
                "shop#41", "--datasource", postgres.jdbcUrl(DATABASE), "--datasource-user", LocalPostgres.USER,
                "--schema-table", schema + ".flyway_schema_history"};
        return run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    private int record(int build, String... extra) {
        String dir = "build-" + build;
        String[] base = {"record", "--store", store(), "--target", "shop-local", "--namespace", "shop",
                "--digests", EXAMPLE.resolve("digests.yaml").toString(), "--build", "shop#" + build,
                "--build-url", "https://ci.example.com/job/shop/" + build + "/", "--manifests",
                EXAMPLE.resolve((build == 43 ? "build-42" : dir) + "/app.yaml") + ","
                        + EXAMPLE.resolve((build == 43 ? "build-42" : dir) + "/service.json")};
        return run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    private String audit() {
        assertThat(run("audit", "--store", store())).as(last.err()).isZero();
        return last.out();
    }

    private int run(String... args) {
        last = CliRun.of(Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC), args);
        return last.exit();
    }

    private void contractSinceV1() throws Exception {
        migration("V2__expand_add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name text;");
        migration("V3__contract_drop_name.sql", "ALTER TABLE customer DROP COLUMN name;");
    }

    private void migration(String name, String sql) {
        try {
            Files.writeString(migrations.resolve(name), sql);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Flyway.configure().dataSource(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null).schemas(schema)
                .locations("filesystem:" + migrations).load().migrate();
    }

    private String liveFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of(live()))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(file).append('\n').append(Files.readString(file));
            }
        }
        return all.toString();
    }

    private String store() {
        return work.resolve("records").toString();
    }

    private String live() {
        return work.resolve("live").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
