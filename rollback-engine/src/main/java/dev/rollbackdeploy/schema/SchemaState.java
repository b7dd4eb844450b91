package dev.rollbackdeploy.schema;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The live database's migration history, in the order applied.
 *
 * @param source  where it was read, for messages (table and JDBC URL, never a password)
 * @param applied every versioned migration applied, failed ones included
 */
public record SchemaState(String source, List<AppliedMigration> applied) {

    public SchemaState {
        if (source == null || source.isBlank() || applied == null) {
            throw new IllegalArgumentException("schema state needs a source and a list of migrations, got " + source
                    + ", " + applied);
        }
        applied = List.copyOf(applied);
    }

    /** The newest successfully applied version; empty for a database no migration has touched. */
    public Optional<SchemaVersion> current() {
        return applied.stream().filter(AppliedMigration::success).map(AppliedMigration::version)
                .max(Comparator.naturalOrder());
    }

    public List<AppliedMigration> failed() {
        return applied.stream().filter(m -> !m.success()).toList();
    }
}
