package dev.rollbackdeploy.schema;

import java.util.List;
import java.util.stream.Collectors;

/** What the schema check decided before a rollback: proceed, refuse (with why), or refused but overridden. */
public sealed interface SchemaDecision {

    /** Whether the rollback may go on. */
    boolean proceeds();

    /** One line for people and the audit log's evidence. */
    String summary();

    /** A migration applied since the target build, and what kind it is. */
    record Classified(AppliedMigration migration, MigrationKind kind) {
        @Override
        public String toString() {
            return migration.label() + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a check refused. */
    enum Cause {
        /** A contract (or unclassified) migration since the target's range. Can be overridden. */
        INCOMPATIBLE,
        /** The live schema is older than the oldest the target can run against. Can be overridden. */
        SCHEMA_TOO_OLD,
        /** The target's record carries no schema version (recorded before schemas were). Can be overridden. */
        NO_REQUIREMENT,
        /** A migration failed: the schema is in between versions. Repair it first. */
        FAILED_MIGRATION,
        /** The database could not be asked. Never proceeds: "don't know" is not "compatible". */
        UNAVAILABLE;

        public boolean overridable() {
            return this == INCOMPATIBLE || this == SCHEMA_TOO_OLD || this == NO_REQUIREMENT;
        }
    }

    /** The target can run on the live schema; {@code since} lists what was applied after its version. */
    record Proceed(SchemaVersion live, List<Classified> since) implements SchemaDecision {
        public Proceed {
            since = List.copyOf(since);
        }

        @Override
        public boolean proceeds() {
            return true;
        }

        @Override
        public String summary() {
            return "schema " + live + " is compatible" + (since.isEmpty() ? "" : ": only expand migrations since ("
                    + since.stream().map(Classified::toString).collect(Collectors.joining(", ")) + ")");
        }
    }

    /**
     * The rollback must not go on.
     *
     * @param between every migration between the target's version and the live one (empty when unknown)
     * @param reason  the whole explanation, naming the blocking migrations
     */
    record Refuse(Cause cause, List<Classified> between, String reason) implements SchemaDecision {
        public Refuse {
            between = List.copyOf(between);
        }

        @Override
        public boolean proceeds() {
            return false;
        }

        @Override
        public String summary() {
            return reason;
        }

        public List<Classified> blocking() {
            return between.stream().filter(c -> c.kind() != MigrationKind.EXPAND).toList();
        }
    }

    /** Refused, and a person decided to go on anyway. */
    record Overridden(Refuse refused, SchemaOverride override) implements SchemaDecision {
        public Overridden {
            if (!refused.cause().overridable()) {
                throw new IllegalArgumentException("a schema check refused for " + refused.cause()
                        + " cannot be overridden: " + refused.reason());
            }
        }

        @Override
        public boolean proceeds() {
            return true;
        }

        @Override
        public String summary() {
            return "OVERRIDDEN by " + override.by() + " (\"" + override.reason() + "\"): " + refused.reason();
        }
    }
}
