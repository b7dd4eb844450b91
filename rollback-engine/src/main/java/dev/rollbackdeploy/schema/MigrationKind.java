package dev.rollbackdeploy.schema;

/**
 * What a migration does to builds that ran before it (the expand/contract pattern): an expand
 * migration only adds (a column, a table, an index), so older builds keep working; a contract
 * migration removes or changes what older builds read or write.
 */
public enum MigrationKind {
    EXPAND,
    CONTRACT,
    /** Neither marked nor declared: treated as a contract, because "don't know" must never proceed. */
    UNCLASSIFIED
}
