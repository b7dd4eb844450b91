package dev.rollbackdeploy.schema;

import dev.rollbackdeploy.schema.SchemaDecision.Cause;
import dev.rollbackdeploy.schema.SchemaDecision.Classified;
import dev.rollbackdeploy.schema.SchemaDecision.Overridden;
import dev.rollbackdeploy.schema.SchemaDecision.Proceed;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a build can run on the live schema: pure, from the build's {@link SchemaRequirement}
 * and the {@link SchemaState} read from the database. Compatible when the live version is within
 * the build's range, or every migration after the range is an expand; refused otherwise, naming the
 * migrations. A refusal that can be overridden becomes {@link Overridden} when a person gave a reason.
 */
public final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /**
     * @param build       how people name the target build, e.g. {@code shop#41}
     * @param requirement the build's requirement, or null when its record carries none
     */
    public static SchemaDecision decide(String build, SchemaRequirement requirement, SchemaState live,
            MigrationClassifier classifier, Optional<SchemaOverride> override) {
        Refuse refused = refusal(build, requirement, live, classifier);
        if (refused == null) {
            SchemaVersion current = live.current().orElseThrow();
            return new Proceed(current, since(requirement.ranWith(), live, classifier));
        }
        if (override.isPresent() && refused.cause().overridable()) {
            return new Overridden(refused, override.get());
        }
        return refused;
    }

    private static Refuse refusal(String build, SchemaRequirement requirement, SchemaState live,
            MigrationClassifier classifier) {
        if (!live.failed().isEmpty()) {
            return new Refuse(Cause.FAILED_MIGRATION, List.of(), "rollback to " + build + " refused: migration "
                    + live.failed().stream().map(AppliedMigration::label).collect(Collectors.joining(", "))
                    + " failed in " + live.source() + ", so the schema is between versions; repair it (e.g. flyway "
                    + "repair, or finish the migration by hand) first");
        }
        Optional<SchemaVersion> current = live.current();
        if (current.isEmpty()) {
            return new Refuse(Cause.UNAVAILABLE, List.of(), "rollback to " + build + " refused: " + live.source()
                    + " records no applied migration, so the live schema version is unknown (is this the right database?)");
        }
        if (requirement == null) {
            return new Refuse(Cause.NO_REQUIREMENT, List.of(), "rollback to " + build + " refused: its record carries no "
                    + "schema version, so whether it can run on schema " + current.get() + " is unknown; declare the "
                    + "version it ran with, or override with a reason");
        }
        if (requirement.compatibleFrom().isAfter(current.get())) {
            return new Refuse(Cause.SCHEMA_TOO_OLD, List.of(), "rollback to " + build + " refused: the live schema is "
                    + current.get() + ", older than " + requirement.compatibleFrom() + ", the oldest it can run against");
        }
        List<Classified> since = since(requirement.ranWith(), live, classifier);
        List<Classified> blocking = since.stream()
                .filter(c -> c.migration().version().isAfter(requirement.compatibleTo()))
                .filter(c -> c.kind() != MigrationKind.EXPAND).toList();
        if (blocking.isEmpty()) {
            return null;
        }
        return new Refuse(Cause.INCOMPATIBLE, since, "rollback to " + build + " refused: it ran with schema "
                + requirement.ranWith() + (requirement.compatibleTo().equals(requirement.ranWith()) ? ""
                : " (runs on up to " + requirement.compatibleTo() + ")") + ", the live schema is " + current.get()
                + ", and migrations since then are not expand-only: "
                + blocking.stream().map(Classified::toString).collect(Collectors.joining(", "))
                + ". Migrations in between: " + since.stream().map(c -> c.migration().label()).collect(Collectors.joining(", "))
                + ". Roll the schema back first, or override with a reason if " + build + " is known to work on it");
    }

    private static List<Classified> since(SchemaVersion version, SchemaState live, MigrationClassifier classifier) {
        return live.applied().stream().filter(AppliedMigration::success).filter(m -> m.version().isAfter(version))
                .sorted(Comparator.comparing(AppliedMigration::version))
                .map(m -> new Classified(m, classifier.kind(m))).toList();
    }
}
