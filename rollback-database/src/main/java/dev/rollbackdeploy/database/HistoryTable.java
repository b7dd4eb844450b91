package dev.rollbackdeploy.database;

import dev.rollbackdeploy.schema.AppliedMigration;
import dev.rollbackdeploy.schema.SchemaHistory;
import dev.rollbackdeploy.schema.SchemaState;
import dev.rollbackdeploy.schema.SchemaUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a migration tool's history table over JDBC, read-only. Each tool says how to query its
 * table and turn a row into an {@link AppliedMigration} (or skip it); failures of any kind become
 * {@link SchemaUnavailableException} naming the database (without credentials) and the table.
 */
abstract class HistoryTable implements SchemaHistory {

    /** {@code table} or {@code schema.table}, unquoted: it is put into SQL text, so nothing else is allowed. */
    private static final Pattern IDENTIFIER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final JdbcTarget database;
    private final String table;

    HistoryTable(JdbcTarget database, String table) {
        if (database == null) {
            throw new IllegalArgumentException("a schema history needs a datasource, got null");
        }
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("history table must be a name like flyway_schema_history or "
                    + "app.flyway_schema_history (letters, digits, _), got '" + table + "'");
        }
        this.database = database;
        this.table = table;
    }

    abstract String query(String table);

    /** The row as a migration, or null to skip it (rows without a version). */
    abstract AppliedMigration migration(ResultSet row) throws SQLException;

    @Override
    public final SchemaState read() throws SchemaUnavailableException, InterruptedException {
        String source = table + " at " + database.safeUrl();
        List<AppliedMigration> applied = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(query(table))) {
            statement.setQueryTimeout((int) Math.max(1, database.timeout().toSeconds()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    AppliedMigration migration = migration(rows);
                    if (migration != null) {
                        applied.add(migration);
                    }
                }
            }
        } catch (SQLException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted reading " + source);
            }
            throw new SchemaUnavailableException("cannot read " + source + ": " + JdbcTarget.redact(String.valueOf(
                    e.getMessage())) + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")"), e);
        } catch (IllegalArgumentException e) {
            throw new SchemaUnavailableException(source + " holds a row that is not a migration: " + e.getMessage(), e);
        }
        return new SchemaState(source, applied);
    }
}
