package dev.rollbackdeploy.schema;

import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a migration is an expand or a contract. The convention: the description starts
 * with the word {@code expand} or {@code contract} — for Flyway, the file name
 * {@code V7__expand_add_email.sql} / {@code V8__contract_drop_name.sql}; for Liquibase, the
 * changeset id {@code expand-add-email}. A declared kind for a version wins over the name (for
 * migrations named before the convention). Anything else is {@link MigrationKind#UNCLASSIFIED}.
 */
public final class MigrationClassifier {

    private final Map<SchemaVersion, MigrationKind> declared;

    /** @param declared kinds declared per version; {@code UNCLASSIFIED} cannot be declared */
    public MigrationClassifier(Map<SchemaVersion, MigrationKind> declared) {
        if (declared == null) {
            throw new IllegalArgumentException("declared migration kinds must be a map (may be empty), got null");
        }
        declared.forEach((version, kind) -> {
            if (version == null || kind == null || kind == MigrationKind.UNCLASSIFIED) {
                throw new IllegalArgumentException("a declared migration kind must be EXPAND or CONTRACT for a version, got "
                        + version + "=" + kind);
            }
        });
        this.declared = Map.copyOf(declared);
    }

    /** Only the naming convention. */
    public static MigrationClassifier byName() {
        return new MigrationClassifier(Map.of());
    }

    public MigrationKind kind(AppliedMigration migration) {
        MigrationKind kind = declared.get(migration.version());
        if (kind != null) {
            return kind;
        }
        String first = migration.description().strip().toLowerCase(Locale.ROOT).split("[\\s_\\-]+", 2)[0];
        return switch (first) {
            case "expand" -> MigrationKind.EXPAND;
            case "contract" -> MigrationKind.CONTRACT;
            default -> MigrationKind.UNCLASSIFIED;
        };
    }
}
