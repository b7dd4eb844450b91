package dev.rollbackdeploy.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data-safety facts a record may carry (issue 11, docs/safety.md "record fields"), each the JSON
 * form the schema and flags packages give: {@code schema} ({@code SchemaJson.requirement}),
 * {@code schemaCheck} ({@code SchemaJson.decision}), {@code recovery} ({@code RecoveryRun.json()})
 * and {@code flags} ({@code FlagJson.states} or {@code FlagJson.changes}). Each is optional (null
 * when absent) and held as canonical text, so it is immutable and equal facts are equal strings.
 * The forms are checked here ({@link SafetyForms}), so a record never holds a fact that a later
 * rollback could not read back.
 */
public record RecordSafety(String schema, String schemaCheck, String recovery, String flags) {

    /** A record without any of these facts: it encodes exactly as before they existed. */
    public static final RecordSafety NONE = new RecordSafety(null, null, null, null);

    /** The record's field names; {@link #FIELDS} in the order the codec checks them. */
    static final String SCHEMA = "schema";
    static final String SCHEMA_CHECK = "schemaCheck";
    static final String RECOVERY = "recovery";
    static final String FLAGS = "flags";
    static final List<String> FIELDS = List.of(SCHEMA, SCHEMA_CHECK, RECOVERY, FLAGS);

    /** @throws IllegalArgumentException naming the field and the bad value */
    public RecordSafety {
        schema = canonical(SCHEMA, schema);
        schemaCheck = canonical(SCHEMA_CHECK, schemaCheck);
        recovery = canonical(RECOVERY, recovery);
        flags = canonical(FLAGS, flags);
    }

    /** The {@code with…} methods copy the tree given (later changes to it do not leak in); null removes the fact. */
    public boolean isEmpty() {
        return schema == null && schemaCheck == null && recovery == null && flags == null;
    }

    public RecordSafety withSchema(JsonNode requirement) {
        return new RecordSafety(text(requirement), schemaCheck, recovery, flags);
    }

    public RecordSafety withSchemaCheck(JsonNode decision) {
        return new RecordSafety(schema, text(decision), recovery, flags);
    }

    public RecordSafety withRecovery(JsonNode run) {
        return new RecordSafety(schema, schemaCheck, text(run), flags);
    }

    public RecordSafety withFlags(JsonNode flagStates) {
        return new RecordSafety(schema, schemaCheck, recovery, text(flagStates));
    }

    /** A fresh tree each call (e.g. for {@code SchemaJson.requirement(node)}); changing it changes nothing here. */
    public Optional<ObjectNode> schemaJson() {
        return parsed(schema);
    }

    public Optional<ObjectNode> schemaCheckJson() {
        return parsed(schemaCheck);
    }

    public Optional<ObjectNode> recoveryJson() {
        return parsed(recovery);
    }

    public Optional<ObjectNode> flagsJson() {
        return parsed(flags);
    }

    /** The value of one field by its record name, for the codec. */
    String field(String name) {
        return switch (name) {
            case SCHEMA -> schema;
            case SCHEMA_CHECK -> schemaCheck;
            case RECOVERY -> recovery;
            case FLAGS -> flags;
            default -> throw new AssertionError(name);
        };
    }

    /** One fact as a fresh tree, by its record name, for the codec. */
    Optional<ObjectNode> tree(String name) {
        return parsed(field(name));
    }

    static RecordSafety of(Map<String, String> fields) {
        return new RecordSafety(fields.get(SCHEMA), fields.get(SCHEMA_CHECK), fields.get(RECOVERY), fields.get(FLAGS));
    }

    private static String text(JsonNode node) {
        return node == null ? null : CanonicalJson.write(node);
    }

    private static String canonical(String field, String text) {
        if (text == null) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = CanonicalJson.STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " must be a JSON object, got '" + text + "': "
                    + e.getOriginalMessage(), e);
        }
        SafetyForms.check(field, parsed);
        return CanonicalJson.write(parsed);
    }

    private static Optional<ObjectNode> parsed(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((ObjectNode) CanonicalJson.STRICT.readTree(text));
        } catch (JsonProcessingException e) {
            throw new AssertionError("canonical text did not parse: " + text, e);
        }
    }
}
