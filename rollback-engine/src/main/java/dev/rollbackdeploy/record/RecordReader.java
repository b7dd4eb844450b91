package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.WorkloadRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.manifest.TemplateHash;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads one format-1 document field by field. Field checks come first so that a damaged field is
 * named precisely; the self-hash comes last and catches edits that leave every field well formed.
 */
final class RecordReader {

    @FunctionalInterface
    private interface Construction<T> {
        T build();
    }

    private final String source;

    RecordReader(String source) {
        this.source = source;
    }

    DeploymentRecord read(JsonNode doc) throws IOException {
        JsonFields root = new JsonFields(source, "", doc);
        int version = root.integer("formatVersion");
        if (version > DeploymentRecord.CURRENT_FORMAT) {
            throw new UnsupportedRecordFormatException(source, version);
        }
        if (version < 1) {
            throw root.corrupt("formatVersion", "must be 1 or more, got " + version);
        }
        root.only(Set.of("formatVersion", "build", "target", "workloads", "manifests", "strategy", "gateEvidence",
                "outcome", "startedAt", "finishedAt", RecordCodec.SELF_HASH));
        BuildInfo build = build(root.object("build"));
        Target target = target(root.object("target"));
        ManifestSet manifests = manifests(root.object("manifests"));
        List<DeployedWorkload> workloads = new ArrayList<>();
        for (JsonFields item : root.objects("workloads")) {
            workloads.add(workload(item, version, manifests));
        }
        StrategySpec strategy = strategy(root.object("strategy"));
        List<GateEvidence> evidence = new ArrayList<>();
        for (JsonFields item : root.objects("gateEvidence")) {
            evidence.add(GateEvidence.of(item.node()));
        }
        Outcome outcome = outcome(root.object("outcome"));
        Instant startedAt = root.parsed("startedAt", Instant::parse);
        Instant finishedAt = root.parsed("finishedAt", Instant::parse);
        Digest claimed = root.parsed(RecordCodec.SELF_HASH, Digest::parse);
        Digest actual = RecordCodec.selfHash((ObjectNode) doc);
        if (!claimed.equals(actual)) {
            throw root.corrupt(RecordCodec.SELF_HASH, "is " + claimed + " but the content hashes to " + actual
                    + ": the record was changed after it was written");
        }
        int formatVersion = version;
        return construct(root, "", () -> new DeploymentRecord(formatVersion, build, target, workloads, manifests,
                strategy, evidence, outcome, startedAt, finishedAt));
    }

    private BuildInfo build(JsonFields build) throws CorruptRecordException {
        build.only(Set.of("job", "number", "url", "actor"));
        String job = build.text("job");
        int number = build.integer("number");
        URI url = build.parsed("url", URI::create);
        String actor = build.text("actor");
        return construct(build, "", () -> new BuildInfo(new BuildRef(job, number), url, actor));
    }

    private Target target(JsonFields target) throws CorruptRecordException {
        String type = target.text("type");
        String key = target.text("key");
        String credentialsId = target.text("credentialsId");
        switch (type) {
            case "kubernetes" -> {
                target.only(Set.of("type", "key", "credentialsId", "cluster", "server", "namespace"));
                String cluster = target.text("cluster");
                URI server = target.parsed("server", URI::create);
                String namespace = target.text("namespace");
                return construct(target, "", () -> new Target.Kubernetes(key, cluster, server, namespace, credentialsId));
            }
            case "haproxy" -> {
                target.only(Set.of("type", "key", "credentialsId", "endpoints", "backend"));
                List<URI> endpoints = new ArrayList<>();
                for (String endpoint : target.texts("endpoints")) {
                    endpoints.add(construct(target, "endpoints", () -> URI.create(endpoint)));
                }
                String backend = target.text("backend");
                return construct(target, "", () -> new Target.HAProxy(key, endpoints, backend, credentialsId));
            }
            default -> throw target.corrupt("type", "must be kubernetes or haproxy, got '" + type + "'");
        }
    }

    private DeployedWorkload workload(JsonFields item, int version, ManifestSet manifests)
            throws CorruptRecordException {
        ObjectKey key;
        String podSpec = "";
        if (version >= 2) {
            item.only(Set.of("group", "kind", "namespace", "name", "podSpec", "container", "image", "digest"));
            String group = item.text("group");
            key = key(item, kind -> group);
            String path = item.optionalText("podSpec");
            podSpec = path == null ? "" : path;
        } else {
            item.only(Set.of("kind", "namespace", "name", "container", "image", "digest"));
            key = key(item, kind -> groupInFormat1(manifests, item, kind));
        }
        String container = item.text("container");
        ImageRef image = item.parsed("image", ImageRef::parse);
        Digest digest = item.parsed("digest", Digest::parse);
        String path = podSpec;
        return construct(item, "", () -> new DeployedWorkload(new WorkloadRef(key, path, container), image, digest));
    }

    /** The group of the one recorded object of the workload's kind, namespace and name, else core. */
    private static String groupInFormat1(ManifestSet manifests, JsonFields item, String kind) {
        String namespace = item.node().path("namespace").asText();
        String name = item.node().path("name").asText();
        return manifests.keys().stream()
                .filter(k -> k.kind().equals(kind) && k.namespace().equals(namespace) && k.name().equals(name))
                .map(ObjectKey::group).findFirst().orElse("");
    }

    private ManifestSet manifests(JsonFields manifests) throws CorruptRecordException {
        manifests.only(Set.of("setHash", "objects"));
        TemplateHash claimedSet = manifests.parsed("setHash", TemplateHash::parse);
        List<CanonicalObject> objects = new ArrayList<>();
        for (JsonFields item : manifests.objects("objects")) {
            item.only(Set.of("kind", "namespace", "name", "apiVersion", "hash", "object"));
            String apiVersion = item.text("apiVersion");
            String group = construct(item, "apiVersion", () -> ObjectKey.groupOf(apiVersion));
            ObjectKey key = key(item, kind -> group);
            TemplateHash claimed = item.parsed("hash", TemplateHash::parse);
            JsonFields object = item.object("object");
            String canonical = CanonicalJson.write(object.node());
            TemplateHash actual = TemplateHash.of(canonical.getBytes(StandardCharsets.UTF_8));
            if (!actual.equals(claimed)) {
                throw item.corrupt("hash", "of " + key + " is " + claimed + " but its object hashes to " + actual);
            }
            objects.add(construct(item, "", () -> new CanonicalObject(key, apiVersion, canonical, claimed)));
        }
        ManifestSet set = construct(manifests, "objects", () -> ManifestSet.of(objects));
        if (!set.setHash().equals(claimedSet)) {
            throw manifests.corrupt("setHash", "is " + claimedSet + " but the objects hash to " + set.setHash());
        }
        return set;
    }

    private StrategySpec strategy(JsonFields strategy) throws CorruptRecordException {
        strategy.only(Set.of("name", "parameters"));
        StrategyKind kind = strategy.parsed("name", StrategyKind::valueOf);
        JsonFields parameters = strategy.object("parameters");
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : (Iterable<String>) parameters.node()::fieldNames) {
            values.put(name, parameters.text(name));
        }
        return construct(strategy, "parameters", () -> new StrategySpec(kind, values));
    }

    private Outcome outcome(JsonFields outcome) throws CorruptRecordException {
        outcome.only(Set.of("status", "reason", "restoredFrom"));
        Outcome.Status status = outcome.parsed("status", Outcome.Status::valueOf);
        String reason = outcome.text("reason");
        String from = outcome.optionalText("restoredFrom");
        BuildRef restoredFrom = from == null ? null : outcome.parsed("restoredFrom", BuildRef::parse);
        return construct(outcome, "", () -> new Outcome(status, reason, restoredFrom));
    }

    private ObjectKey key(JsonFields item, UnaryOperator<String> groupOfKind) throws CorruptRecordException {
        String kind = item.text("kind");
        String namespace = item.text("namespace");
        String name = item.text("name");
        return construct(item, "name", () -> new ObjectKey(groupOfKind.apply(kind), kind, namespace, name));
    }

    /** Runs a value type's validation and turns its complaint into one naming the file and field. */
    private static <T> T construct(JsonFields at, String field, Construction<T> construction)
            throws CorruptRecordException {
        try {
            return construction.build();
        } catch (IllegalArgumentException e) {
            throw field.isEmpty()
                    ? new CorruptRecordException(at.sourceForMessages(), at.path(""), e.getMessage(), e)
                    : at.corrupt(field, e.getMessage(), e);
        }
    }
}
