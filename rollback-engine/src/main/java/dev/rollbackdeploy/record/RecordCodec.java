package dev.rollbackdeploy.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.manifest.CanonicalObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@link DeploymentRecord} to and from versioned JSON bytes. Format 2 adds to each workload its API
 * {@code group} and, for a pod spec other than the object's own template, its {@code podSpec} path
 * (issue 9: identity is group + kind + namespace + name). Format 1 records are still read: each
 * workload takes the group of the recorded object of that kind, namespace and name (format 1 could
 * not hold two objects differing only in group), and a format-1 record encodes as it was written.
 *
 * <p>The bytes are the canonical JSON of the document ({@link CanonicalJson}) plus a newline, so
 * encoding is deterministic and each canonical object appears byte for byte as it was hashed. A
 * {@code selfHash} ({@code sha256:…} over the canonical document without that field) makes any
 * edit evident; on read every object hash and the set hash are recomputed as well. Decoding either
 * returns a whole, verified record or throws: never a partial one. Thread-safe.
 */
public final class RecordCodec {

    static final String SELF_HASH = "selfHash";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * @throws IllegalArgumentException an object's canonical JSON is not in the canonical form this
     *                                  codec writes, so it could not be embedded verbatim
     */
    public byte[] encode(DeploymentRecord record) {
        ObjectNode doc = NODES.objectNode();
        doc.put("formatVersion", record.formatVersion());
        ObjectNode build = doc.putObject("build");
        build.put("job", record.ref().job());
        build.put("number", record.ref().number());
        build.put("url", record.build().url().toString());
        build.put("actor", record.build().actor());
        writeTarget(record.target(), doc.putObject("target"));
        ArrayNode workloads = doc.putArray("workloads");
        for (DeployedWorkload workload : record.workloads()) {
            ObjectNode node = workloads.addObject();
            putKey(node, workload.workload().workload().kind(), workload.workload().workload().namespace(),
                    workload.workload().workload().name());
            if (record.formatVersion() >= 2) {
                node.put("group", workload.workload().workload().group());
                if (!workload.workload().podSpec().isEmpty()) {
                    node.put("podSpec", workload.workload().podSpec());
                }
            } else if (!workload.workload().podSpec().isEmpty()) {
                throw new IllegalArgumentException("record format 1 cannot hold " + workload.workload()
                        + " (a container outside the object's own pod template); write format 2");
            }
            node.put("container", workload.workload().container());
            node.put("image", workload.image().toString());
            node.put("digest", workload.digest().toString());
        }
        ObjectNode manifests = doc.putObject("manifests");
        manifests.put("setHash", record.manifests().setHash().toString());
        ArrayNode objects = manifests.putArray("objects");
        for (CanonicalObject object : record.manifests().objects()) {
            ObjectNode node = objects.addObject();
            putKey(node, object.key().kind(), object.key().namespace(), object.key().name());
            node.put("apiVersion", object.apiVersion());
            node.put("hash", object.hash().toString());
            node.set("object", embed(object));
        }
        ObjectNode strategy = doc.putObject("strategy");
        strategy.put("name", record.strategy().kind().name());
        ObjectNode parameters = strategy.putObject("parameters");
        for (Map.Entry<String, String> parameter : record.strategy().parameters().entrySet()) {
            parameters.put(parameter.getKey(), parameter.getValue());
        }
        ArrayNode evidence = doc.putArray("gateEvidence");
        record.gateEvidence().forEach(item -> evidence.add(item.json()));
        ObjectNode outcome = doc.putObject("outcome");
        outcome.put("status", record.outcome().status().name());
        outcome.put("reason", record.outcome().reason());
        record.outcome().restoredFromIfAny().ifPresent(from -> outcome.put("restoredFrom", from.toString()));
        doc.put("startedAt", record.startedAt().toString());
        doc.put("finishedAt", record.finishedAt().toString());
        doc.put(SELF_HASH, selfHash(doc).toString());
        return (CanonicalJson.write(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads and verifies a record.
     *
     * @param source the file name for messages, or null
     * @throws CorruptRecordException           bad JSON, a missing or bad field, or a hash mismatch
     * @throws UnsupportedRecordFormatException written by a newer format
     */
    public DeploymentRecord decode(byte[] bytes, String source) throws IOException {
        JsonNode doc;
        try {
            doc = CanonicalJson.STRICT.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CorruptRecordException(source, null, "is not complete, valid JSON (" + e.getOriginalMessage()
                    + " at " + e.getLocation().offsetDescription() + ")", e);
        }
        if (doc == null || !doc.isObject()) {
            throw new CorruptRecordException(source, null, "must be a JSON object, got "
                    + (doc == null || doc.isMissingNode() ? "no content" : doc.getNodeType().toString()));
        }
        return new RecordReader(source).read(doc);
    }

    static Digest selfHash(ObjectNode doc) {
        ObjectNode withoutSelfHash = doc.deepCopy();
        withoutSelfHash.remove(SELF_HASH);
        return Digest.sha256Of(CanonicalJson.write(withoutSelfHash).getBytes(StandardCharsets.UTF_8));
    }

    private static void writeTarget(Target target, ObjectNode node) {
        node.put("key", target.key());
        node.put("credentialsId", target.credentialsId());
        if (target instanceof Target.Kubernetes kubernetes) {
            node.put("type", "kubernetes");
            node.put("cluster", kubernetes.cluster());
            node.put("server", kubernetes.server().toString());
            node.put("namespace", kubernetes.namespace());
        } else if (target instanceof Target.HAProxy haproxy) {
            node.put("type", "haproxy");
            ArrayNode endpoints = node.putArray("endpoints");
            for (URI endpoint : haproxy.endpoints()) {
                endpoints.add(endpoint.toString());
            }
            node.put("backend", haproxy.backend());
        } else {
            throw new AssertionError(target);
        }
    }

    private static void putKey(ObjectNode node, String kind, String namespace, String name) {
        node.put("kind", kind);
        node.put("namespace", namespace);
        node.put("name", name);
    }

    private static JsonNode embed(CanonicalObject object) {
        JsonNode tree;
        try {
            tree = CanonicalJson.STRICT.readTree(object.canonicalJson());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("canonical JSON of " + object.key() + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        // The record must hold the very bytes that were hashed; a different spelling would not verify.
        if (!tree.isObject() || !CanonicalJson.write(tree).equals(object.canonicalJson())) {
            throw new IllegalArgumentException("canonical JSON of " + object.key() + " is not a JSON object in "
                    + "canonical form (sorted keys, no whitespace), so it cannot be recorded verbatim");
        }
        return tree;
    }
}
