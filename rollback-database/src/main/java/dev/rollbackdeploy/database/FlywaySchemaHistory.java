package dev.rollbackdeploy.database;

import dev.rollbackdeploy.schema.AppliedMigration;
import dev.rollbackdeploy.schema.SchemaVersion;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Flyway's {@code flyway_schema_history}: one row per applied migration, in {@code installed_rank}
 * order. Rows without a version (repeatable migrations, schema creation) are not versions of the
 * schema and are skipped.
 */
public final class FlywaySchemaHistory extends HistoryTable {

    public static final String DEFAULT_TABLE = "flyway_schema_history";

    /** @param table {@code flyway_schema_history} unless Flyway's {@code table} setting changed it */
    public FlywaySchemaHistory(JdbcTarget database, String table) {
        super(database, table);
    }

    public FlywaySchemaHistory(JdbcTarget database) {
        this(database, DEFAULT_TABLE);
    }

    @Override
    String query(String table) {
        return "SELECT version, description, script, success FROM " + table + " ORDER BY installed_rank";
    }

    @Override
    AppliedMigration migration(ResultSet row) throws SQLException {
        String version = row.getString("version");
        if (version == null) {
            return null;
        }
        return new AppliedMigration(SchemaVersion.parse(DEFAULT_TABLE + ".version", version),
                row.getString("description"), row.getString("script"), row.getBoolean("success"));
    }
}
