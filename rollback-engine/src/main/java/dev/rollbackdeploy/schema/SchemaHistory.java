package dev.rollbackdeploy.schema;

/**
 * Port: the live database's migration history (Flyway's {@code flyway_schema_history}, Liquibase's
 * {@code DATABASECHANGELOG}). Read-only and idempotent; each call reads afresh.
 */
public interface SchemaHistory {

    /**
     * @throws SchemaUnavailableException the history could not be read; the message says why (host,
     *                                    table, the driver's reason) and never holds a password
     * @throws InterruptedException       the read was interrupted (the flag is kept)
     */
    SchemaState read() throws SchemaUnavailableException, InterruptedException;
}
