package dev.rollbackdeploy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.schema.SchemaDecision.Classified;
import dev.rollbackdeploy.schema.SchemaDecision.Overridden;
import dev.rollbackdeploy.schema.SchemaDecision.Proceed;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import java.util.List;

/**
 * The record's form of schema facts, for the record codec to embed: a build's requirement (read
 * back by later rollbacks) and, in a rollback's record, the check's decision with any override.
 */
public final class SchemaJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaJson() {
    }

    /** {@code {"ranWith":"3","compatibleFrom":"3","compatibleTo":"4","source":"FLYWAY"}}. */
    public static ObjectNode requirement(SchemaRequirement requirement) {
        ObjectNode node = NODES.objectNode();
        node.put("ranWith", requirement.ranWith().toString());
        node.put("compatibleFrom", requirement.compatibleFrom().toString());
        node.put("compatibleTo", requirement.compatibleTo().toString());
        node.put("source", requirement.source().name());
        return node;
    }

    /** @throws IllegalArgumentException naming the bad field */
    public static SchemaRequirement requirement(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("schema must be an object, got " + node);
        }
        SchemaRequirement.Source source;
        try {
            source = SchemaRequirement.Source.valueOf(text(node, "source"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema.source must be one of "
                    + java.util.Arrays.toString(SchemaRequirement.Source.values()) + ", got '" + text(node, "source") + "'");
        }
        return new SchemaRequirement(SchemaVersion.parse("schema.ranWith", text(node, "ranWith")),
                SchemaVersion.parse("schema.compatibleFrom", text(node, "compatibleFrom")),
                SchemaVersion.parse("schema.compatibleTo", text(node, "compatibleTo")), source);
    }

    /** The check as it was decided: outcome, cause, live version, migrations in between, override. */
    public static ObjectNode decision(SchemaDecision decision) {
        ObjectNode node = NODES.objectNode();
        node.put("proceeds", decision.proceeds());
        if (decision instanceof Proceed proceed) {
            node.put("decision", "COMPATIBLE");
            node.put("live", proceed.live().toString());
            migrations(node, proceed.since());
        } else if (decision instanceof Refuse refuse) {
            refused(node.put("decision", "REFUSED"), refuse);
        } else if (decision instanceof Overridden overridden) {
            refused(node.put("decision", "OVERRIDDEN"), overridden.refused());
            ObjectNode override = node.putObject("override");
            override.put("by", overridden.override().by());
            override.put("reason", overridden.override().reason());
        } else {
            throw new AssertionError(decision);
        }
        return node;
    }

    private static void refused(ObjectNode node, Refuse refuse) {
        node.put("cause", refuse.cause().name());
        node.put("reason", refuse.reason());
        migrations(node, refuse.between());
    }

    private static void migrations(ObjectNode node, List<Classified> migrations) {
        ArrayNode array = node.putArray("migrations");
        for (Classified c : migrations) {
            ObjectNode m = array.addObject();
            m.put("version", c.migration().version().toString());
            m.put("description", c.migration().description());
            m.put("script", c.migration().script());
            m.put("kind", c.kind().name());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("schema." + field + " must be a string, got " + value);
        }
        return value.textValue();
    }
}
