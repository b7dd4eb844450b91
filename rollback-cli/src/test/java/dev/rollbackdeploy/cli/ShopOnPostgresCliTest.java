package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the CLI tests of a rollback with the schema check: the docs' example shop (docs/examples/shop) recorded
 * in a store under the test's directory with a directory cluster ({@code --live-dir}), and its database one schema
 * per test of a real PostgreSQL (started once per class, Debian's) migrated by Flyway; the CLI runs in-process.
 */
abstract class ShopOnPostgresCliTest {

    static final Path EXAMPLE = Path.of("..", "docs", "examples", "shop");
    static final String DATABASE = "shop";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    static LocalPostgres postgres;

    @TempDir
    Path work;

    String schema;
    Path migrations;
    CliRun last;

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
    void aSchemaOfItsOwn() throws IOException {
        schema = "s" + SCHEMAS.incrementAndGet();
        migrations = Files.createDirectories(work.resolve("migrations"));
    }

    /** Adds the migration to the test's schema and migrates, as the team's pipeline would. */
    void migration(String name, String sql) {
        try {
            Files.writeString(migrations.resolve(name), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Flyway.configure().dataSource(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null).schemas(schema)
                .locations("filesystem:" + migrations).load().migrate();
    }

    /** {@code --json rollback --to shop#41} with the test schema's datasource, and {@code extra}. */
    int rollbackTo41(String... extra) {
        String[] base = {"--json", "rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to",
                "shop#41", "--datasource", postgres.jdbcUrl(DATABASE), "--datasource-user", LocalPostgres.USER,
                "--schema-table", schema + ".flyway_schema_history"};
        return run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    /** {@code rollback record} of shop#N from the example's manifests (shop#43 reuses build-42's). */
    int record(int build, String... extra) {
        String dir = "build-" + (build == 43 ? 42 : build);
        String[] base = {"record", "--store", store(), "--target", "shop-local", "--namespace", "shop",
                "--digests", EXAMPLE.resolve("digests.yaml").toString(), "--build", "shop#" + build,
                "--build-url", "https://ci.example.com/job/shop/" + build + "/", "--manifests",
                EXAMPLE.resolve(dir + "/app.yaml") + "," + EXAMPLE.resolve(dir + "/service.json")};
        return run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    String audit() {
        assertThat(run("audit", "--store", store())).as(last.err()).isZero();
        return last.out();
    }

    int run(String... args) {
        last = CliRun.of(Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC), args);
        return last.exit();
    }

    /** Every file of the directory cluster with its content: equal before and after means nothing was changed. */
    String liveFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of(live()))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(file).append('\n').append(Files.readString(file));
            }
        }
        return all.toString();
    }

    String store() {
        return work.resolve("records").toString();
    }

    String live() {
        return work.resolve("live").toString();
    }
}
