package dev.rollbackdeploy.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.schema.MigrationKind;
import dev.rollbackdeploy.schema.SchemaDecision;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaVersion;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * The shapes of a record's safety facts, as {@code SchemaJson}, {@code RecoveryRun.json()} and
 * {@code FlagJson} write them. Checked when a record is built and when one is read, so a bad value
 * is refused at the door with its field path ({@code schemaCheck.decision}) and the value, and a
 * stored fact can always be read back by a later rollback.
 */
final class SafetyForms {

    private static final Set<String> DECISIONS = Set.of("COMPATIBLE", "REFUSED", "OVERRIDDEN");

    private SafetyForms() {
    }

    /** @throws IllegalArgumentException naming {@code field.sub} and the value */
    static void check(String field, JsonNode node) {
        object(field, node);
        switch (field) {
            case RecordSafety.SCHEMA -> schema(node);
            case RecordSafety.SCHEMA_CHECK -> schemaCheck(node);
            case RecordSafety.RECOVERY -> recovery(node);
            case RecordSafety.FLAGS -> flags(node);
            default -> throw new AssertionError(field);
        }
    }

    private static void schema(JsonNode node) {
        only(RecordSafety.SCHEMA, node, Set.of("ranWith", "compatibleFrom", "compatibleTo", "source"));
        SchemaJson.requirement(node);
    }

    private static void schemaCheck(JsonNode node) {
        String f = RecordSafety.SCHEMA_CHECK;
        String decision = text(f, node, "decision");
        if (!DECISIONS.contains(decision)) {
            throw bad(f + ".decision", "must be one of COMPATIBLE, REFUSED, OVERRIDDEN", node.get("decision"));
        }
        boolean proceeds = bool(f, node, "proceeds");
        if (proceeds != !decision.equals("REFUSED")) {
            throw bad(f + ".proceeds", "must be " + !proceeds + " for decision " + decision, node.get("proceeds"));
        }
        if (decision.equals("COMPATIBLE")) {
            only(f, node, Set.of("decision", "proceeds", "live", "migrations"));
            SchemaVersion.parse(f + ".live", text(f, node, "live"));
        } else {
            only(f, node, decision.equals("OVERRIDDEN")
                    ? Set.of("decision", "proceeds", "cause", "reason", "migrations", "override")
                    : Set.of("decision", "proceeds", "cause", "reason", "migrations"));
            String cause = text(f, node, "cause");
            if (Arrays.stream(SchemaDecision.Cause.values()).noneMatch(c -> c.name().equals(cause))) {
                throw bad(f + ".cause", "must be one of " + Arrays.toString(SchemaDecision.Cause.values()),
                        node.get("cause"));
            }
            text(f, node, "reason");
        }
        if (decision.equals("OVERRIDDEN")) {
            JsonNode override = node.get("override");
            object(f + ".override", override);
            only(f + ".override", override, Set.of("by", "reason"));
            text(f + ".override", override, "by");
            text(f + ".override", override, "reason");
        }
        JsonNode migrations = node.get("migrations");
        if (migrations == null || !migrations.isArray()) {
            throw bad(f + ".migrations", "must be an array", migrations);
        }
        for (int i = 0; i < migrations.size(); i++) {
            String at = f + ".migrations[" + i + "]";
            JsonNode m = migrations.get(i);
            object(at, m);
            only(at, m, Set.of("version", "description", "script", "kind"));
            SchemaVersion.parse(at + ".version", text(at, m, "version"));
            text(at, m, "description");
            text(at, m, "script");
            String kind = text(at, m, "kind");
            if (Arrays.stream(MigrationKind.values()).noneMatch(k -> k.name().equals(kind))) {
                throw bad(at + ".kind", "must be one of " + Arrays.toString(MigrationKind.values()), m.get("kind"));
            }
        }
    }

    private static void recovery(JsonNode node) {
        String f = RecordSafety.RECOVERY;
        only(f, node, Set.of("program", "confirmedBy", "reason", "exitCode", "startedAt", "finishedAt"));
        text(f, node, "program");
        text(f, node, "confirmedBy");
        text(f, node, "reason");
        JsonNode exit = node.get("exitCode");
        if (exit == null || !exit.isIntegralNumber() || !exit.canConvertToInt()) {
            throw bad(f + ".exitCode", "must be a whole number (-1 for a timeout)", exit);
        }
        Instant started = instant(f, node, "startedAt");
        Instant finished = instant(f, node, "finishedAt");
        if (finished.isBefore(started)) {
            throw bad(f + ".finishedAt", "must not be before startedAt " + started, node.get("finishedAt"));
        }
    }

    private static void flags(JsonNode node) {
        String f = RecordSafety.FLAGS;
        only(f, node, Set.of("store", "flags"));
        text(f, node, "store");
        JsonNode flags = node.get("flags");
        if (flags == null || !flags.isArray()) {
            throw bad(f + ".flags", "must be an array", flags);
        }
        for (int i = 0; i < flags.size(); i++) {
            String at = f + ".flags[" + i + "]";
            JsonNode flag = flags.get(i);
            object(at, flag);
            only(at, flag, Set.of("flag", "before", "enabled"));
            if (text(at, flag, "flag").isBlank()) {
                throw bad(at + ".flag", "must name a flag", flag.get("flag"));
            }
            bool(at, flag, "enabled");
            if (flag.has("before")) {
                bool(at, flag, "before");
            }
        }
    }

    private static void object(String field, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw bad(field, "must be a JSON object", node);
        }
    }

    private static void only(String field, JsonNode node, Set<String> names) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new IllegalArgumentException(field + "." + name + " is not a field of " + field
                        + " (expected some of " + names.stream().sorted().toList() + ")");
            }
        }
    }

    private static String text(String field, JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw bad(field + "." + name, "must be a string", value);
        }
        return value.textValue();
    }

    private static boolean bool(String field, JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isBoolean()) {
            throw bad(field + "." + name, "must be true or false", value);
        }
        return value.booleanValue();
    }

    private static Instant instant(String field, JsonNode node, String name) {
        String text = text(field, node, name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw bad(field + "." + name, "must be an ISO-8601 instant (e.g. 2026-12-04T13:00:00Z)", node.get(name));
        }
    }

    private static IllegalArgumentException bad(String field, String rule, JsonNode value) {
        return new IllegalArgumentException(field + " " + rule + ", got " + (value == null ? "nothing" : value));
    }
}
