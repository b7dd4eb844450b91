package dev.rollbackdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.vm.HAProxyGate;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApi;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.vm.VmRecords;
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
        Duration gateMaxDuration, Strategy strategy, List<Weight> steps, Duration scaleDownDelay, double maxErrorRate,
        long minRequests) {

    /** canary: shift traffic step by step; blueGreen: switch all at once, keep the old version warm. */
    enum Strategy { CANARY, BLUE_GREEN }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("build", "buildUrl", "target", "prometheus", "gate", "strategy",
            "steps", "scaleDownDelay");
    private static final Set<String> GATE_FIELDS = Set.of("healthyErrorRate", "minimumEffect", "interval", "maxDuration",
            "maxErrorRate", "minRequests");

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
        for (Iterator<String> names = gate.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!GATE_FIELDS.contains(name)) {
                throw in.error("gate." + name, "is not a gate field; known: " + GATE_FIELDS);
            }
        }
        String strategyName = root.path("strategy").asText("canary");
        Strategy strategy = switch (strategyName) {
            case "canary" -> Strategy.CANARY;
            case "blueGreen" -> Strategy.BLUE_GREEN;
            default -> throw in.error("strategy", "must be canary or blueGreen, got '" + strategyName + "'");
        };
        double maxErrorRate = gate.path("maxErrorRate").asDouble(0.05);
        if (!(maxErrorRate > 0 && maxErrorRate < 1)) {
            throw in.error("gate.maxErrorRate", "must be strictly between 0 and 1, got '" + gate.path("maxErrorRate").asText() + "'");
        }
        long minRequests = gate.path("minRequests").asLong(100);
        if (minRequests < 1) {
            throw in.error("gate.minRequests", "must be 1 or more, got '" + gate.path("minRequests").asText() + "'");
        }
        try {
            HAProxyBackend backend = new HAProxyBackend(in.text(haproxy, "target.haproxy.backend"),
                    in.texts(haproxy, "target.haproxy.stable"), in.texts(haproxy, "target.haproxy.canary"));
            List<Weight> steps = new ArrayList<>();
            JsonNode stepNodes = root.path("steps");
            if (strategy == Strategy.BLUE_GREEN) {
                if (!stepNodes.isMissingNode()) {
                    throw in.error("steps", "belongs to a canary; blueGreen switches all traffic at once");
                }
            } else {
                if (!root.path("scaleDownDelay").isMissingNode()) {
                    throw in.error("scaleDownDelay", "belongs to blueGreen; a canary has no previous version to keep warm");
                }
                if (!stepNodes.isArray() || stepNodes.isEmpty()) {
                    throw in.error("steps", "must be a list of canary shares in percent, e.g. [10, 25, 50, 100]");
                }
                for (JsonNode step : stepNodes) {
                    if (!step.canConvertToInt()) {
                        throw in.error("steps", "must be whole percentages, got '" + step.asText() + "'");
                    }
                    steps.add(Weight.of(step.intValue()));
                }
            }
            return new DeploySpec(BuildRef.parse(in.text(root, "build")), URI.create(in.text(root, "buildUrl")),
                    in.text(target, "target.key"), in.texts(haproxy, "target.haproxy.sockets"), backend,
                    target.path("credentialsId").asText("local-sockets"), URI.create(in.text(root, "prometheus")),
                    gate.path("healthyErrorRate").asDouble(0.01), gate.path("minimumEffect").asDouble(10),
                    duration(in, gate, "gate.interval", "10s"),
                    duration(in, gate, "gate.maxDuration", "10m"), strategy, steps,
                    duration(in, root, "scaleDownDelay", "30s"), maxErrorRate, minRequests);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new CliException(ExitCode.USAGE, "deployment spec " + file + ": " + e.getMessage(), e);
        }
    }

    /** The canary-vs-stable 5xx gate the spec's gate fields describe. */
    GateSpec stepGate() {
        return HAProxyGate.errorRatio(backend, healthyErrorRate, minimumEffect, interval, gateMaxDuration);
    }

    /** The spec's Prometheus, with a 5 s query timeout; the caller closes it. */
    PrometheusMetricSource metrics() {
        return new PrometheusMetricSource(PrometheusConfig.of(prometheus.toString()).withQueryTimeout(Duration.ofSeconds(5)));
    }

    /** The spec's target as records name it. */
    Target.HAProxy target() {
        return new Target.HAProxy(targetKey, sockets.stream().map(VmRecords::endpoint).toList(), backend.name(), credentialsId);
    }

    /**
     * The router over the spec's load balancers, checked on every one of them before any write: the
     * backend balances by weight, has every server of the spec, and none is in drain or maintenance.
     *
     * @throws CliException exit 5 when a load balancer cannot be asked, exit 2 when one is configured
     *                      wrongly; nothing was changed either way
     */
    HAProxyTrafficRouter validatedRouter() throws CliException, InterruptedException {
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(backend,
                sockets.stream().map(s -> (RuntimeApi) new RuntimeApiClient(s, Duration.ofSeconds(2))).toList());
        try {
            router.validate();
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "cannot reach HAProxy: " + e.getMessage()
                    + "; nothing was changed", e);
        } catch (IllegalStateException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage() + "; nothing was changed", e);
        }
        return router;
    }

    /** A duration written like 10s, 2m or 1h30m. */
    private static Duration duration(Reader in, JsonNode parent, String path, String fallback) throws CliException {
        String text = parent.path(path.substring(path.lastIndexOf('.') + 1)).asText(fallback);
        try {
            Duration value = Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
            if (value.isNegative()) {
                throw in.error(path, "must not be negative, got '" + text + "'");
            }
            return value;
        } catch (java.time.format.DateTimeParseException e) {
            throw in.error(path, "must be a duration like 30s, 2m or 1h30m, got '" + text + "'");
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
