package dev.rollbackdeploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.Canonicalizer;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Read + canonicalize + hash a ~1 MB multi-document release (Deployments, ConfigMaps, Services),
 * as the record step does on every build. The {@code megabytes} counter is the throughput in MB/s
 * (10^6 bytes); the goal is at least 50 MB/s for YAML on the 2-core build machine.
 *
 * <pre>
 * mvn -B -ntp -q -o -pl rollback-benchmarks -am package -DskipTests
 * java -jar rollback-benchmarks/target/benchmarks.jar CanonicalHash -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CanonicalHashBenchmark {

    private static final int TARGET_BYTES = 1_000_000;

    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();

    private final ManifestReader reader = new ManifestReader();
    private byte[] yaml;
    private byte[] json;
    private List<JsonNode> trees;

    /** Bytes read, normalised by JMH to MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    @Setup
    public void generate() {
        StringBuilder yamlText = new StringBuilder();
        StringBuilder jsonText = new StringBuilder();
        for (int app = 0; yamlText.length() < TARGET_BYTES; app++) {
            ReleaseGenerator.appendYaml(yamlText, app);
            ReleaseGenerator.appendJson(jsonText, app);
        }
        yaml = yamlText.toString().getBytes(StandardCharsets.UTF_8);
        json = jsonText.toString().getBytes(StandardCharsets.UTF_8);
        ManifestSet fromYaml = reader.read(yaml);
        ManifestSet fromJson = reader.read(json);
        if (!fromYaml.equals(fromJson)) {
            throw new IllegalStateException("generated YAML and JSON must be the same release");
        }
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> docs = new ObjectMapper().readerFor(JsonNode.class)
                .readValues(json)) {
            trees = docs.readAll();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!hashTrees().equals(fromJson)) {
            throw new IllegalStateException("hashing parsed trees must give the reader's set");
        }
        System.out.printf("%nrelease: %d objects, YAML %d bytes, JSON %d bytes%n", fromYaml.size(), yaml.length,
                json.length);
    }

    @Benchmark
    public ManifestSet readYaml(Throughput throughput) {
        throughput.megabytes += yaml.length / 1e6;
        return reader.read(yaml);
    }

    /**
     * Baseline, not a product path: Jackson's YAML parser (snakeyaml underneath) walking the same
     * bytes to tokens, building nothing. readYaml cannot beat this.
     */
    @Benchmark
    public int yamlTokensOnly(Throughput throughput) throws IOException {
        throughput.megabytes += yaml.length / 1e6;
        int tokens = 0;
        try (JsonParser parser = YAML_FACTORY.createParser(yaml)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }

    /**
     * Canonical hashing alone, from trees already parsed: canonical bytes, SHA-256 per object, the
     * set hash. The throughput is counted in bytes of the JSON source the trees came from.
     */
    @Benchmark
    public ManifestSet canonicalHashOnly(Throughput throughput) {
        throughput.megabytes += json.length / 1e6;
        return hashTrees();
    }

    private ManifestSet hashTrees() {
        List<CanonicalObject> objects = new ArrayList<>(trees.size());
        for (JsonNode tree : trees) {
            JsonNode metadata = tree.path("metadata");
            ObjectKey key = ObjectKey.of(tree.path("apiVersion").asText(), tree.path("kind").asText(), metadata.path("namespace").asText(""),
                    metadata.path("name").asText());
            objects.add(CanonicalObject.of(key, tree.path("apiVersion").asText(),
                    new String(Canonicalizer.canonicalBytes(tree), StandardCharsets.UTF_8)));
        }
        return ManifestSet.of(objects);
    }

    @Benchmark
    public ManifestSet readJson(Throughput throughput) {
        throughput.megabytes += json.length / 1e6;
        return reader.read(json);
    }
}
