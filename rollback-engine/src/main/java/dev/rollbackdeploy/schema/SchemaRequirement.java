package dev.rollbackdeploy.schema;

/**
 * What a build needs of the database, carried in its record: the schema version it ran with and the
 * range of versions it can run against. {@code compatibleTo} defaults to {@code ranWith}: migrations
 * after it are then judged by their kind (only expands keep the build working).
 *
 * @param ranWith        the schema version live when the build was deployed
 * @param compatibleFrom the oldest schema it can run against
 * @param compatibleTo   the newest schema it is known to run against
 * @param source         where this came from
 */
public record SchemaRequirement(SchemaVersion ranWith, SchemaVersion compatibleFrom, SchemaVersion compatibleTo,
        Source source) {

    /** Declared in the step or spec, or read from the history table when the build deployed. */
    public enum Source { DECLARED, FLYWAY, LIQUIBASE }

    public SchemaRequirement {
        if (ranWith == null || compatibleFrom == null || compatibleTo == null || source == null) {
            throw new IllegalArgumentException("schema requirement needs ranWith, compatibleFrom, compatibleTo and source, got "
                    + ranWith + ", " + compatibleFrom + ", " + compatibleTo + ", " + source);
        }
        if (compatibleFrom.isAfter(ranWith) || ranWith.isAfter(compatibleTo)) {
            throw new IllegalArgumentException("schema compatibleFrom <= ranWith <= compatibleTo must hold, got "
                    + compatibleFrom + " <= " + ranWith + " <= " + compatibleTo);
        }
    }

    /** Only the version it ran with: the range is that one version. */
    public static SchemaRequirement ranWith(SchemaVersion version, Source source) {
        return new SchemaRequirement(version, version, version, source);
    }

    /**
     * From the text of a step or spec; {@code from} and {@code to} may be null (then {@code ranWith}).
     *
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public static SchemaRequirement declared(String ranWith, String from, String to) {
        SchemaVersion ran = SchemaVersion.parse("schema.ranWith", ranWith);
        return new SchemaRequirement(ran, from == null ? ran : SchemaVersion.parse("schema.compatibleFrom", from),
                to == null ? ran : SchemaVersion.parse("schema.compatibleTo", to), Source.DECLARED);
    }
}
