package dev.rollbackdeploy.schema;

import dev.rollbackdeploy.schema.SchemaDecision.Cause;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The schema check before a rollback: reads the live history through the {@link SchemaHistory}
 * port and lets {@link SchemaCompatibility} decide. Read-only, so it can run before any lock or
 * write. A database that cannot be asked refuses: "don't know" is never "compatible".
 */
public final class SchemaPreflight {

    private final SchemaHistory history;
    private final MigrationClassifier classifier;

    public SchemaPreflight(SchemaHistory history, MigrationClassifier classifier) {
        this.history = Objects.requireNonNull(history, "history");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /**
     * @param build       the target build's name, e.g. {@code shop#41}
     * @param requirement the target's recorded requirement, or null when its record has none
     * @param override    a person's override of an overridable refusal
     */
    public SchemaDecision check(String build, SchemaRequirement requirement, Optional<SchemaOverride> override)
            throws InterruptedException {
        SchemaState live;
        try {
            live = history.read();
        } catch (SchemaUnavailableException e) {
            return new Refuse(Cause.UNAVAILABLE, List.of(), "rollback to " + build + " refused: the schema cannot be "
                    + "checked (" + e.getMessage() + "); refusing rather than rolling back blindly");
        }
        return SchemaCompatibility.decide(build, requirement, live, classifier, override);
    }

    /** The requirement to record for a build deploying now: the live version, as read. */
    public SchemaRequirement current(SchemaRequirement.Source source) throws SchemaUnavailableException,
            InterruptedException {
        SchemaState live = history.read();
        return SchemaRequirement.ranWith(live.current().orElseThrow(() -> new SchemaUnavailableException(
                live.source() + " records no applied migration: nothing to record", null)), source);
    }
}
