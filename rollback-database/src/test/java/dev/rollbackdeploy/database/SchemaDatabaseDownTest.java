package dev.rollbackdeploy.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.schema.MigrationClassifier;
import dev.rollbackdeploy.schema.SchemaDecision;
import dev.rollbackdeploy.schema.SchemaDecision.Cause;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import dev.rollbackdeploy.schema.SchemaOverride;
import dev.rollbackdeploy.schema.SchemaPreflight;
import dev.rollbackdeploy.schema.SchemaRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that goes down between deploy and rollback: the check refuses, even when asked to override. */
class SchemaDatabaseDownTest {

    @TempDir
    Path dir;

    @Test
    void aDatabaseThatIsDownRefusesTheRollbackWithTheReason() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            Path migrations = Files.createDirectories(dir.resolve("migrations"));
            Files.writeString(migrations.resolve("V1__create_customer.sql"), "CREATE TABLE customer (id bigint);");
            Flyway.configure().dataSource(postgres.jdbcUrl("postgres"), LocalPostgres.USER, null)
                    .locations("filesystem:" + migrations).load().migrate();
            SchemaPreflight preflight = new SchemaPreflight(new FlywaySchemaHistory(
                    new JdbcTarget(postgres.jdbcUrl("postgres") + "?password=s3cret", LocalPostgres.USER, "s3cret")),
                    MigrationClassifier.byName());
            SchemaRequirement shop41 = preflight.current(SchemaRequirement.Source.FLYWAY);
            assertThat(preflight.check("shop#41", shop41, Optional.empty()).proceeds()).as("up").isTrue();

            postgres.kill();
            SchemaDecision down = preflight.check("shop#41", shop41, Optional.empty());
            SchemaDecision overridden = preflight.check("shop#41", shop41,
                    Optional.of(new SchemaOverride("alice", "I am sure, just roll back")));

            assertThat(down).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.cause()).isEqualTo(Cause.UNAVAILABLE));
            assertThat(down.summary()).contains("rollback to shop#41 refused", "cannot read flyway_schema_history at jdbc:postgresql://127.0.0.1:"
                    + postgres.port(), "refused", "refusing rather than rolling back blindly").doesNotContain("s3cret");
            assertThat(overridden.proceeds()).as("unreachable is never overridden").isFalse();
        }
    }
}
