package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.database.FlywaySchemaHistory;
import dev.rollbackdeploy.database.JdbcTarget;
import dev.rollbackdeploy.database.LiquibaseChangelog;
import dev.rollbackdeploy.schema.MigrationClassifier;
import dev.rollbackdeploy.schema.SchemaHistory;
import dev.rollbackdeploy.schema.SchemaPreflight;
import dev.rollbackdeploy.schema.SchemaRequirement;
import java.time.Duration;
import java.util.Locale;

/**
 * The database a target's builds run against, for the schema check before a rollback and the schema
 * version a deploy records (docs/safety.md): a JDBC URL, a user and password (the password from a
 * credential or an environment variable, never printed), the migration tool and its history table.
 */
public final class Datasource {

    /** Whose history table is read. */
    public enum Tool { FLYWAY, LIQUIBASE }

    private final JdbcTarget jdbc;
    private final Tool tool;
    private final String table;

    private Datasource(JdbcTarget jdbc, Tool tool, String table) {
        this.jdbc = jdbc;
        this.tool = tool;
        this.table = table;
    }

    /**
     * @param tool  {@code flyway} (default when null) or {@code liquibase}
     * @param table the history table, or null for the tool's default
     * @throws OperationException INVALID naming the field ({@code field}.url, .tool, .table) and the value
     */
    public static Datasource of(String field, String url, String user, String password, String tool, String table)
            throws OperationException {
        Tool kind;
        try {
            kind = tool == null || tool.isBlank() ? Tool.FLYWAY : Tool.valueOf(tool.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OperationException(OperationException.Kind.INVALID, field + ".tool must be flyway or liquibase, got '"
                    + tool + "'");
        }
        String history = table == null || table.isBlank()
                ? kind == Tool.FLYWAY ? FlywaySchemaHistory.DEFAULT_TABLE : LiquibaseChangelog.DEFAULT_TABLE : table.strip();
        try {
            Datasource source = new Datasource(new JdbcTarget(url == null ? null : url.strip(), blankToNull(user),
                    password, Duration.ofSeconds(5)), kind, history);
            source.history(); // checks the table name now, before any lock or write
            return source;
        } catch (IllegalArgumentException e) {
            throw new OperationException(OperationException.Kind.INVALID, field + ": " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private SchemaHistory history() {
        return tool == Tool.FLYWAY ? new FlywaySchemaHistory(jdbc, table) : new LiquibaseChangelog(jdbc, table);
    }

    /** The check before a rollback, by the expand/contract naming convention. Opens nothing yet. */
    public SchemaPreflight preflight() {
        return new SchemaPreflight(history(), MigrationClassifier.byName());
    }

    /** How a requirement read from this database is marked in records. */
    public SchemaRequirement.Source source() {
        return tool == Tool.FLYWAY ? SchemaRequirement.Source.FLYWAY : SchemaRequirement.Source.LIQUIBASE;
    }

    /** Where, without credentials. */
    @Override
    public String toString() {
        return tool.name().toLowerCase(Locale.ROOT) + " " + table + " at " + jdbc.safeUrl();
    }
}
