package dev.rollbackdeploy.database;

import dev.rollbackdeploy.schema.AppliedMigration;
import dev.rollbackdeploy.schema.SchemaVersion;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Liquibase's {@code DATABASECHANGELOG}. Changesets have ids, not versions, so a changeset's
 * version is its {@code ORDEREXECUTED} (the n-th changeset applied), and the schema version a build
 * ran with is the number of changesets applied then. The changeset id carries the expand/contract
 * convention ({@code expand-add-email}); a {@code FAILED} changeset counts as a failed migration.
 */
public final class LiquibaseChangelog extends HistoryTable {

    public static final String DEFAULT_TABLE = "databasechangelog";

    public LiquibaseChangelog(JdbcTarget database, String table) {
        super(database, table);
    }

    public LiquibaseChangelog(JdbcTarget database) {
        this(database, DEFAULT_TABLE);
    }

    @Override
    String query(String table) {
        return "SELECT id, author, filename, orderexecuted, exectype FROM " + table + " ORDER BY orderexecuted";
    }

    @Override
    AppliedMigration migration(ResultSet row) throws SQLException {
        return new AppliedMigration(SchemaVersion.parse(DEFAULT_TABLE + ".orderexecuted", String.valueOf(row.getInt("orderexecuted"))),
                row.getString("id"), row.getString("filename") + "::" + row.getString("author"),
                !"FAILED".equalsIgnoreCase(row.getString("exectype")));
    }
}
