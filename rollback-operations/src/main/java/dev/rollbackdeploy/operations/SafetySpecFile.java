package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The safety sections of a deployment spec file (docs/safety.md): {@code schema} (version,
 * compatibleFrom, compatibleTo), {@code datasource} (url, user, passwordEnv, tool, table) and
 * {@code flags} (provider, url, tokenEnv, project, environment, turnOff, mode) and {@code recovery} (command,
 * timeout: the point-in-time-recovery command a restore may run when a person confirms it). Secrets are named by the
 * environment variable that holds them, never written in the file.
 */
public final class SafetySpecFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "schema", Set.of("version", "compatibleFrom", "compatibleTo"),
            "datasource", Set.of("url", "user", "passwordEnv", "tool", "table"),
            "flags", Set.of("provider", "url", "tokenEnv", "project", "environment", "turnOff", "mode"),
            "recovery", Set.of("command", "timeout"));

    private SafetySpecFile() {
    }

    /**
     * @param environment how to read an environment variable ({@code System::getenv})
     * @throws OperationException INVALID: the file cannot be read, or every problem of its safety sections
     */
    public static DeploySafety read(Path file, Function<String, String> environment) throws OperationException {
        String source = "deployment spec " + file;
        JsonNode root = SpecFile.parse(file, source);
        if (root == null || !root.isObject()) {
            return DeploySafety.NONE;
        }
        List<SpecProblem> problems = new ArrayList<>();
        FIELDS.forEach((section, names) -> {
            for (Iterator<String> it = root.path(section).fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name)) {
                    problems.add(new SpecProblem(section + "." + name, null, "is not a field of " + section + "; known: "
                            + new TreeSet<>(names)));
                }
            }
        });
        JsonNode schema = root.path("schema");
        JsonNode db = root.path("datasource");
        JsonNode flags = root.path("flags");
        SafetyFields fields = new SafetyFields()
                .schema(value(schema, "version"), value(schema, "compatibleFrom"), value(schema, "compatibleTo"))
                .datasource(value(db, "url"), value(db, "user"), secret(db, "passwordEnv", environment, problems),
                        value(db, "tool"), value(db, "table"))
                .flags(value(flags, "provider"), value(flags, "url"), secret(flags, "tokenEnv", environment, problems),
                        value(flags, "project"), value(flags, "environment"), value(flags, "turnOff"))
                .flagsMode(value(flags, "mode"))
                .recovery(value(root.path("recovery"), "command"), value(root.path("recovery"), "timeout"));
        try {
            DeploySafety safety = fields.toSafety(source);
            if (!problems.isEmpty()) {
                throw new InvalidSpecException(source, problems);
            }
            return safety;
        } catch (InvalidSpecException e) {
            List<SpecProblem> all = new ArrayList<>(problems);
            if (e.problems() != problems) {
                all.addAll(e.problems());
            }
            throw new InvalidSpecException(source, all);
        }
    }

    /** The secret from the environment variable the field names; a named variable that is unset is a problem. */
    private static String secret(JsonNode section, String field, Function<String, String> environment,
            List<SpecProblem> problems) {
        Object name = value(section, field);
        if (name == null) {
            return null;
        }
        String secret = environment.apply(String.valueOf(name));
        if (secret == null) {
            problems.add(new SpecProblem(section.isMissingNode() ? field : fieldPath(section, field), String.valueOf(name),
                    "names an environment variable that is not set"));
        }
        return secret;
    }

    private static String fieldPath(JsonNode section, String field) {
        return (section.has("passwordEnv") && field.equals("passwordEnv") ? "datasource." : "flags.") + field;
    }

    private static Object value(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        return node.isMissingNode() || node.isNull() ? null : JSON.convertValue(node, Object.class);
    }
}
