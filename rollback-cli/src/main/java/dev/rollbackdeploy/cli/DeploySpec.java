package dev.rollbackdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A canary deployment to HAProxy-fronted VMs, as a YAML (or JSON) file; docs/examples/deploy.yaml
 * shows every field. Read once, validated whole: every error names the file and the field.
 */
record DeploySpec(BuildRef build, URI buildUrl, String targetKey, List<String> sockets, HAProxyBackend backend,
        String credentialsId, URI prometheus, double healthyErrorRate, double minimumEffect, Duration interval,
        Duration gateMaxDuration, List<Weight> steps) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("build", "buildUrl", "target", "prometheus", "gate", "steps");

    static DeploySpec read(Path file) throws CliException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.USAGE, "deployment spec " + file + " does not exist", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "deployment spec " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Reader in = new Reader(file);
        if (root == null || !root.isObject()) {
            throw in.error("(document)", "must be a map with " + FIELDS);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw in.error(name, "is not a field of a deployment spec; known: " + FIELDS);
            }
        }
        JsonNode target = in.object(root, "target");
        JsonNode haproxy = in.object(target, "target.haproxy");
        JsonNode gate = root.path("gate");
        try {
            HAProxyBackend backend = new HAProxyBackend(in.text(haproxy, "target.haproxy.backend"),
                    in.texts(haproxy, "target.haproxy.stable"), in.texts(haproxy, "target.haproxy.canary"));
            List<Weight> steps = new ArrayList<>();
            JsonNode stepNodes = root.path("steps");
            if (!stepNodes.isArray() || stepNodes.isEmpty()) {
                throw in.error("steps", "must be a list of canary shares in percent, e.g. [10, 25, 50, 100]");
            }
            for (JsonNode step : stepNodes) {
                if (!step.canConvertToInt()) {
                    throw in.error("steps", "must be whole percentages, got '" + step.asText() + "'");
                }
                steps.add(Weight.of(step.intValue()));
            }
            return new DeploySpec(BuildRef.parse(in.text(root, "build")), URI.create(in.text(root, "buildUrl")),
                    in.text(target, "target.key"), in.texts(haproxy, "target.haproxy.sockets"), backend,
                    target.path("credentialsId").asText("local-sockets"), URI.create(in.text(root, "prometheus")),
                    gate.path("healthyErrorRate").asDouble(0.01), gate.path("minimumEffect").asDouble(10),
                    Duration.parse("PT" + gate.path("interval").asText("10s").toUpperCase(java.util.Locale.ROOT)),
                    Duration.parse("PT" + gate.path("maxDuration").asText("10m").toUpperCase(java.util.Locale.ROOT)), steps);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new CliException(ExitCode.USAGE, "deployment spec " + file + ": " + e.getMessage(), e);
        }
    }

    /** Field access that fails with the file and the field's path. */
    private record Reader(Path file) {
        CliException error(String field, String what) {
            return new CliException(ExitCode.USAGE, "deployment spec " + file + ": " + field + " " + what);
        }

        JsonNode object(JsonNode parent, String path) throws CliException {
            JsonNode node = parent.path(path.substring(path.lastIndexOf('.') + 1));
            if (!node.isObject()) {
                throw error(path, "is missing or not a map");
            }
            return node;
        }

        String text(JsonNode parent, String path) throws CliException {
            JsonNode node = parent.path(path.substring(path.lastIndexOf('.') + 1));
            if (!node.isTextual() || node.asText().isBlank()) {
                throw error(path, "is missing or not text");
            }
            return node.asText();
        }

        List<String> texts(JsonNode parent, String path) throws CliException {
            JsonNode node = parent.path(path.substring(path.lastIndexOf('.') + 1));
            if (!node.isArray() || node.isEmpty()) {
                throw error(path, "must be a non-empty list");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw error(path, "must list text, got " + item);
                }
                out.add(item.asText());
            }
            return out;
        }
    }
}
