package dev.rollbackdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.Canonicalizer;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local stand-in for a cluster: one canonical JSON file per object in a directory. It lets the CLI
 * show a real restore, and its idempotence, on a laptop with no cluster. Writes are atomic (temp file
 * and rename) and a write that changes nothing is not made, so the write count means something.
 */
final class DirectoryCluster implements Cluster {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private int writes;

    DirectoryCluster(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public LiveState observe() throws IOException {
        List<CanonicalObject> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                objects.add(read(file));
            }
        }
        return LiveState.of(ManifestSet.of(objects));
    }

    private static CanonicalObject read(Path file) throws IOException {
        try {
            return canonical(JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("live object file " + file + " is not a readable object: " + e.getMessage()
                    + "; remove it or restore the target again", e);
        }
    }

    /** Canonicalised again on every read, so a hand-edited file is still compared by content. */
    private static CanonicalObject canonical(JsonNode node) {
        JsonNode metadata = node.path("metadata");
        ObjectKey key = ObjectKey.of(node.path("apiVersion").asText(null), node.path("kind").asText(null), metadata.path("namespace").asText(""),
                metadata.path("name").asText(null));
        String json = new String(Canonicalizer.canonicalBytes(node), StandardCharsets.UTF_8);
        return CanonicalObject.of(key, node.path("apiVersion").asText(), json);
    }

    @Override
    public void apply(CanonicalObject object) throws IOException {
        Path file = fileOf(object.key());
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(object.canonicalJson())) {
            return;
        }
        Path temp = Files.createTempFile(dir, ".apply-", ".tmp");
        try {
            Files.writeString(temp, object.canonicalJson(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        writes++;
    }

    @Override
    public void delete(ObjectKey object) throws IOException {
        if (Files.deleteIfExists(fileOf(object))) {
            writes++;
        }
    }

    @Override
    public void scale(ObjectKey workload, int replicas) throws IOException {
        Path file = fileOf(workload);
        if (!Files.exists(file)) {
            throw new IOException("cannot scale " + workload + ": it is not in " + dir);
        }
        JsonNode node = JSON.readTree(Files.readAllBytes(file));
        if (!(node.path("spec") instanceof ObjectNode spec)) {
            throw new IOException("cannot scale " + workload + ": it has no spec");
        }
        spec.put("replicas", replicas);
        apply(canonical(node));
    }

    @Override
    public boolean isReady(ObjectKey workload) {
        // Files are "ready" once written; there is nothing to roll out.
        return true;
    }

    int writes() {
        return writes;
    }

    private Path fileOf(ObjectKey key) throws IOException {
        // Kind has no '.' or '_', group and namespace no '_': the name is injective. The group is in it
        // because two objects may differ only in group (issue 9, item 10).
        String ns = key.namespace().isEmpty() ? "-" : key.namespace();
        String kind = key.group().isEmpty() ? key.kind() : key.kind() + "." + key.group();
        Path file = dir.resolve(kind + "_" + ns + "_" + key.name() + ".json");
        Path legacy = dir.resolve(key.kind() + "_" + ns + "_" + key.name() + ".json");
        // Directories written before the group was in the name keep their file for the same object.
        if (!key.group().isEmpty() && !Files.exists(file) && Files.exists(legacy) && read(legacy).key().equals(key)) {
            return legacy;
        }
        return file;
    }
}
