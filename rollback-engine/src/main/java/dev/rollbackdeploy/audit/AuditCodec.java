package dev.rollbackdeploy.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.manifest.Canonicalizer;
import dev.rollbackdeploy.record.BuildRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Audit entries to and from one line of JSON. A line is the engine's canonical JSON (sorted keys, as
 * records and manifests are hashed) of {@code {seq, prev, event, hash}}; {@code hash} is the SHA-256
 * of the canonical JSON of the same object without {@code hash}. Thread-safe.
 */
final class AuditCodec {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ENTRY_FIELDS = Set.of("seq", "prev", "event", "hash");
    private static final Set<String> EVENT_FIELDS = Set.of("at", "actor", "action", "target", "from", "to", "reason",
            "evidence", "record");
    private static final Set<String> RECORD_FIELDS = Set.of("build", "contentHash");

    /** A line as read: the entry it states, and the hash its content really has. */
    record Decoded(AuditEntry entry, Digest computedHash) {
        boolean intact() {
            return entry.hash().equals(computedHash);
        }
    }

    /** The next entry of the chain, hashed. */
    AuditEntry chain(long seq, Digest prev, AuditEvent event) {
        ObjectNode body = body(seq, prev, event);
        return new AuditEntry(seq, prev, event, hash(body));
    }

    /** The entry's line, newline included. */
    byte[] line(AuditEntry entry) {
        ObjectNode node = body(entry.seq(), entry.prev(), entry.event());
        node.put("hash", entry.hash().toString());
        byte[] json = Canonicalizer.canonicalValueBytes(node);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /**
     * Reads one line (without its newline).
     *
     * @throws IllegalArgumentException the line is not an audit entry; the message says what is wrong
     */
    Decoded decode(String line) {
        JsonNode node;
        try {
            node = STRICT.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("is not a JSON object");
        }
        only(node, ENTRY_FIELDS, "entry");
        ObjectNode withoutHash = ((ObjectNode) node).deepCopy();
        withoutHash.remove("hash");
        JsonNode seq = node.get("seq");
        if (seq == null || !seq.canConvertToExactIntegral() || !seq.canConvertToLong()) {
            throw new IllegalArgumentException("field seq must be a whole number, got " + seq);
        }
        AuditEvent event = event(node.get("event"));
        AuditEntry entry = new AuditEntry(seq.longValue(), digest(node, "prev"), event, digest(node, "hash"));
        return new Decoded(entry, hash(withoutHash));
    }

    private static AuditEvent event(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("field event must be an object, got " + node);
        }
        only(node, EVENT_FIELDS, "event");
        AuditAction action;
        try {
            action = AuditAction.valueOf(text(node, "action"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field event.action must be one of "
                    + java.util.Arrays.toString(AuditAction.values()) + ", got '" + text(node, "action") + "'");
        }
        Instant at;
        try {
            at = Instant.parse(text(node, "at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field event.at must be an ISO-8601 instant, got '" + text(node, "at") + "'");
        }
        RecordRef record = null;
        JsonNode recordNode = node.get("record");
        if (recordNode != null) {
            if (!recordNode.isObject()) {
                throw new IllegalArgumentException("field event.record must be an object, got " + recordNode);
            }
            only(recordNode, RECORD_FIELDS, "event.record");
            record = new RecordRef(BuildRef.parse(text(recordNode, "build")), digest(recordNode, "contentHash"));
        }
        return new AuditEvent(at, text(node, "actor"), action, text(node, "target"), build(node, "from"),
                build(node, "to"), text(node, "reason"), optionalText(node, "evidence"), record);
    }

    private static ObjectNode body(long seq, Digest prev, AuditEvent event) {
        ObjectNode node = NODES.objectNode();
        node.put("seq", seq);
        node.put("prev", prev.toString());
        ObjectNode e = node.putObject("event");
        e.put("at", event.at().toString());
        e.put("actor", event.actor());
        e.put("action", event.action().name());
        e.put("target", event.target());
        if (event.from() != null) {
            e.put("from", event.from().toString());
        }
        if (event.to() != null) {
            e.put("to", event.to().toString());
        }
        e.put("reason", event.reason());
        e.put("evidence", event.evidence());
        if (event.record() != null) {
            ObjectNode record = e.putObject("record");
            record.put("build", event.record().build().toString());
            record.put("contentHash", event.record().contentHash().toString());
        }
        return node;
    }

    private static Digest hash(ObjectNode body) {
        return Digest.sha256Of(Canonicalizer.canonicalValueBytes(body));
    }

    private static void only(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(where + " has an unknown field '" + name + "'");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " must be a string, got " + value);
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        return node.has(field) ? text(node, field) : "";
    }

    private static BuildRef build(JsonNode node, String field) {
        return node.has(field) ? BuildRef.parse(text(node, field)) : null;
    }

    private static Digest digest(JsonNode node, String field) {
        return Digest.parse(text(node, field));
    }

    static String utf8(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
