package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds one document's tree from a parser's tokens. We do not use {@code ObjectMapper.readTree}
 * because Jackson's YAML parser reports an alias as the anchor's name in a plain string (it never
 * expands aliases), which would silently change a manifest; here aliases are expanded, counted and
 * depth-checked, duplicate keys are refused (YAML forbids them; kubectl refuses them too) and
 * decimals stay exact.
 */
final class TreeBuilder {

    // Decimals may be stored stripped or not: the canonicalizer normalises them either way.
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final ManifestLimits limits;
    private final String source;
    private final int document;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int aliases;
    // Height of the node last built; lets an alias check the depth it will reach once expanded.
    private int lastHeight;

    private record Anchored(JsonNode node, int height, int aliasesInside) {
    }

    private TreeBuilder(JsonParser parser, ManifestLimits limits, String source, int document) {
        this.parser = parser;
        this.limits = limits;
        this.source = source;
        this.document = document;
    }

    /** Builds the document whose first token is the parser's current token. */
    static JsonNode document(JsonParser parser, ManifestLimits limits, String source, int document)
            throws IOException {
        return new TreeBuilder(parser, limits, source, document).value(1);
    }

    private JsonNode value(int depth) throws IOException {
        JsonToken token = parser.currentToken();
        String anchor = anchorOf();
        int aliasesBefore = aliases;
        JsonNode node = switch (token) {
            case START_OBJECT -> object(depth);
            case START_ARRAY -> array(depth);
            case VALUE_STRING -> isAlias() ? alias(depth) : leaf(NODES.textNode(parser.getText()));
            case VALUE_NUMBER_INT -> leaf(integer());
            case VALUE_NUMBER_FLOAT -> leaf(decimal());
            case VALUE_TRUE -> leaf(NODES.booleanNode(true));
            case VALUE_FALSE -> leaf(NODES.booleanNode(false));
            case VALUE_NULL -> leaf(NODES.nullNode());
            case VALUE_EMBEDDED_OBJECT -> throw fail("binary (!!binary) and other embedded values are not supported"
                    + " in manifests; use a base64 string");
            default -> throw fail("unexpected " + token);
        };
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, lastHeight, aliases - aliasesBefore));
        }
        return node;
    }

    private JsonNode leaf(JsonNode node) {
        lastHeight = 0;
        return node;
    }

    private ObjectNode object(int depth) throws IOException {
        checkDepth(depth, 0);
        ObjectNode node = NODES.objectNode();
        int height = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (name.equals("<<")) {
                throw fail("YAML merge keys ('<<') are not supported; write the keys out");
            }
            parser.nextToken();
            if (node.replace(name, value(depth + 1)) != null) {
                throw fail("duplicate key '" + name + "' in one mapping");
            }
            height = Math.max(height, lastHeight + 1);
        }
        expectEnd(token, JsonToken.END_OBJECT);
        lastHeight = height;
        return node;
    }

    private ArrayNode array(int depth) throws IOException {
        checkDepth(depth, 0);
        ArrayNode node = NODES.arrayNode();
        int height = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            node.add(value(depth + 1));
            height = Math.max(height, lastHeight + 1);
        }
        expectEnd(token, JsonToken.END_ARRAY);
        lastHeight = height;
        return node;
    }

    private void expectEnd(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw fail("unexpected " + token + " where " + expected + " was expected");
        }
    }

    private JsonNode alias(int depth) throws IOException {
        String name = parser.getText();
        Anchored target = anchors.get(name);
        if (target == null) {
            throw fail("alias '*" + name + "' refers to no anchor defined before it in this document");
        }
        aliases += 1 + target.aliasesInside();
        if (aliases > limits.maxAliasesPerDocument()) {
            throw fail("more than maxAliasesPerDocument=" + limits.maxAliasesPerDocument()
                    + " alias expansions (at '*" + name + "'); a nested alias counts each time it is expanded");
        }
        if (target.height() > 0) {
            checkDepth(depth, target.height());
        }
        lastHeight = target.height();
        // Shared, not copied: nothing downstream mutates a read tree, and the alias budget bounds
        // how often a subtree is walked.
        return target.node();
    }

    private void checkDepth(int depth, int below) {
        if (depth + below > limits.maxNestingDepth()) {
            throw fail("nesting deeper than maxNestingDepth=" + limits.maxNestingDepth());
        }
    }

    private JsonNode integer() throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
        };
    }

    private JsonNode decimal() throws IOException {
        String text = parser.getText();
        try {
            return NODES.numberNode(new BigDecimal(text.replace("_", "")));
        } catch (NumberFormatException e) {
            // YAML's .inf and .nan: JSON (and so the Kubernetes API) cannot carry them.
            throw fail("number '" + text + "' is not finite; manifests need finite numbers");
        }
    }

    private boolean isAlias() {
        return parser instanceof YAMLParser yaml && yaml.isCurrentAlias();
    }

    private String anchorOf() {
        return parser instanceof AnchorAwareYamlFactory.AnchoredParser yaml ? yaml.anchor() : null;
    }

    private ManifestException fail(String detail) {
        return ManifestException.at(source, document, parser.currentTokenLocation().getLineNr(), detail);
    }
}
