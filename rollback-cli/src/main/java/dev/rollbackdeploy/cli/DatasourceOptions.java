package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.OperationException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The target's database, for the schema check before a rollback (docs/safety.md). The password is
 * read from an environment variable, never from the command line (where {@code ps} would show it).
 */
final class DatasourceOptions {

    @Option(names = "--datasource", paramLabel = "JDBC_URL",
            description = "Check the live schema before restoring: the target's database, e.g. jdbc:postgresql://db:5432/shop.")
    String url;

    @Option(names = "--datasource-user", paramLabel = "USER", description = "The database user (default: the URL's or the driver's).")
    String user;

    @Option(names = "--datasource-password-env", paramLabel = "VAR", defaultValue = "ROLLBACK_DATASOURCE_PASSWORD",
            description = "The environment variable holding the database password (default ${DEFAULT-VALUE}; unset: none).")
    String passwordEnv;

    @Option(names = "--schema-tool", paramLabel = "TOOL", description = "flyway (default) or liquibase: whose history table to read.")
    String tool;

    @Option(names = "--schema-table", paramLabel = "TABLE",
            description = "The history table (default flyway_schema_history or databasechangelog; schema.table allowed).")
    String table;

    /** The datasource, or empty when none was given. @throws OperationException INVALID naming the option */
    Optional<Datasource> open() throws OperationException {
        if (url == null) {
            if (user != null || tool != null || table != null) {
                throw new OperationException(OperationException.Kind.INVALID, "--datasource-user, --schema-tool and "
                        + "--schema-table need --datasource JDBC_URL");
            }
            return Optional.empty();
        }
        return Optional.of(Datasource.of("--datasource", url, user, System.getenv(passwordEnv), tool, table));
    }
}
