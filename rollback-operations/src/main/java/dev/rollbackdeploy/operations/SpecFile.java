package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deployment spec file, YAML or JSON (docs/examples/deploy.yaml and kubernetes.yaml show every field): read once, its
 * field names checked, its values handed to {@link SpecBuilder} as they are, so the file and a
 * Jenkins step's fields are validated by the same code. A file that is not text (a binary given by
 * mistake) is named as such, never echoed to the terminal.
 */
public final class SpecFile {

    /** A spec is a few hundred bytes; anything this large was given by mistake. */
    static final int MAX_BYTES = 1 << 20;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "", Set.of("build", "buildUrl", "target", "prometheus", "gate", "strategy", "steps", "scaleDownDelay",
                    "schema", "datasource", "flags", "recovery"), // the safety sections: SafetySpecFile
            "target", Set.of("key", "credentialsId", "haproxy", "kubernetes"),
            "target.haproxy", Set.of("sockets", "backend", "stable", "canary"),
            "target.kubernetes", Set.of("kubeconfig", "context", "inCluster", "namespace", "manifests", "digests", "stable",
                    "canary", "traffic", "route", "service"),
            "gate", Set.of("healthyErrorRate", "minimumEffect", "interval", "maxDuration", "maxErrorRate", "minRequests",
                    "metric", "workloadLabel"));

    private SpecFile() {
    }

    /**
     * @throws InvalidSpecException every problem of the spec's fields
     * @throws OperationException   INVALID: the file is missing, unreadable, binary or not YAML;
     */
    public static DeploymentSpec read(Path file) throws OperationException {
        String source = "deployment spec " + file;
        JsonNode root = parse(file, source);
        List<SpecProblem> unknown = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException(source, List.of(new SpecProblem("(document)", null,
                    "must be a map with the fields " + new TreeSet<>(FIELDS.get("")))));
        }
        checkNames(root, "", unknown);
        JsonNode target = root.path("target");
        JsonNode haproxy = target.path("haproxy");
        JsonNode kubernetes = target.path("kubernetes");
        JsonNode gate = root.path("gate");
        checkNames(target, "target", unknown);
        checkNames(haproxy, "target.haproxy", unknown);
        checkNames(kubernetes, "target.kubernetes", unknown);
        checkNames(gate, "gate", unknown);
        SpecBuilder spec = DeploymentSpec.builder()
                .build(value(root, "build")).buildUrl(value(root, "buildUrl"))
                .targetKey(value(target, "key")).credentialsId(value(target, "credentialsId"))
                .haproxySockets(value(haproxy, "sockets")).haproxyBackend(value(haproxy, "backend"))
                .stableServers(value(haproxy, "stable")).canaryServers(value(haproxy, "canary"))
                .prometheus(value(root, "prometheus")).strategy(value(root, "strategy")).steps(value(root, "steps"))
                .scaleDownDelay(value(root, "scaleDownDelay"))
                .healthyErrorRate(value(gate, "healthyErrorRate")).minimumEffect(value(gate, "minimumEffect"))
                .interval(value(gate, "interval")).maxDuration(value(gate, "maxDuration"))
                .maxErrorRate(value(gate, "maxErrorRate")).minRequests(value(gate, "minRequests"))
                .gateMetric(value(gate, "metric")).gateWorkloadLabel(value(gate, "workloadLabel"))
                .kubeconfig(value(kubernetes, "kubeconfig")).kubeContext(value(kubernetes, "context"))
                .inCluster(value(kubernetes, "inCluster")).namespace(value(kubernetes, "namespace"))
                .manifests(value(kubernetes, "manifests")).digests(value(kubernetes, "digests"))
                .stableWorkload(value(kubernetes, "stable")).canaryWorkload(value(kubernetes, "canary"))
                .traffic(value(kubernetes, "traffic")).route(value(kubernetes, "route")).service(value(kubernetes, "service"))
                // Relative file names in the spec are relative to the spec itself, wherever it is run from.
                .baseDirectory(file.toAbsolutePath().getParent());
        try {
            DeploymentSpec built = spec.toSpec(source);
            if (!unknown.isEmpty()) {
                throw new InvalidSpecException(source, unknown);
            }
            return built;
        } catch (InvalidSpecException e) {
            List<SpecProblem> all = new ArrayList<>(unknown);
            if (e.problems() != unknown) {
                all.addAll(e.problems());
            }
            throw new InvalidSpecException(source, all);
        }
    }

    static JsonNode parse(Path file, String source) throws OperationException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new OperationException(OperationException.Kind.INVALID, source + " is " + size
                        + " bytes; a deployment spec is a small YAML or JSON file (see docs/examples/deploy.yaml)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OperationException(OperationException.Kind.INVALID, source + " does not exist", e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INVALID, "cannot read " + source + ": " + e.getMessage(), e);
        }
        if (!isText(bytes)) {
            throw new OperationException(OperationException.Kind.INVALID, source + " is a binary file (" + bytes.length
                    + " bytes, not UTF-8 text), not a YAML or JSON deployment spec; give the spec's text file, e.g. "
                    + "docs/examples/deploy.yaml");
        }
        try {
            return YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new OperationException(OperationException.Kind.INVALID, source + " is not valid YAML or JSON" + where
                    + ": " + printable(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INVALID, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** UTF-8 without NUL or other control characters than tab, CR and LF. */
    static boolean isText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return text.chars().noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f);
    }

    private static String printable(String message) {
        String text = message == null ? "" : message.replaceAll("\\p{Cntrl}", " ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static void checkNames(JsonNode node, String path, List<SpecProblem> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.get(path).contains(name)) {
                problems.add(new SpecProblem(path.isEmpty() ? name : path + "." + name, null,
                        "is not a field of " + (path.isEmpty() ? "a deployment spec" : path) + "; known: "
                                + new TreeSet<>(FIELDS.get(path))));
            }
        }
    }

    /** The value as plain Java (String, Number, Boolean, List, Map), or null when absent or null. */
    private static Object value(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        return node.isMissingNode() || node.isNull() ? null : YAML.convertValue(node, Object.class);
    }
}
