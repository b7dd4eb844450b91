package dev.rollbackdeploy.flags.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.flags.FlagState;
import dev.rollbackdeploy.flags.FlagStore;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import dev.rollbackdeploy.record.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flags in an OpenFeature flagd flag-definitions file ({@code {"flags": {"new-checkout": {"state": "ENABLED",
 * "variants": {...}, "defaultVariant": "on"}}}}), the file flagd — or an application's in-process flagd
 * provider in file mode — reads and watches. A flag is on while its {@code state} is {@code ENABLED};
 * turning it off sets {@code DISABLED}, which flagd treats as if the flag did not exist, so every
 * evaluation answers the application's own default (a release toggle's default is off). Everything else
 * in the file (variants, targeting, metadata, other flags) is kept as it was. Writes replace the file
 * atomically under an OS lock on {@code <file>.lock}, so two writers never lose each other's change.
 */
public final class FlagdFileFlagStore implements FlagStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENABLED = "ENABLED";
    private static final String DISABLED = "DISABLED";
    /** The OS lock is held per JVM, so threads of one JVM also queue on this monitor per file. */
    private static final Map<Path, Object> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path file;

    public FlagdFileFlagStore(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("flagd flag-definitions file must be a path to a JSON file, got null");
        }
        this.file = file.toAbsolutePath().normalize();
    }

    @Override
    public boolean isEnabled(String flag) throws IOException {
        return state(flag(read(), flag), flag).equals(ENABLED);
    }

    @Override
    public void setEnabled(String flag, boolean enabled) throws IOException {
        FlagState.requireName(flag);
        synchronized (IN_THIS_JVM.computeIfAbsent(file, f -> new Object())) {
            rewrite(flag, enabled);
        }
    }

    private void rewrite(String flag, boolean enabled) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            ObjectNode root = read();
            ObjectNode definition = flag(root, flag);
            String wanted = enabled ? ENABLED : DISABLED;
            if (state(definition, flag).equals(wanted)) {
                return; // idempotent: the file is not rewritten
            }
            definition.put("state", wanted);
            AtomicFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        }
    }

    @Override
    public String describe() {
        return "flagd definitions " + file;
    }

    private Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    private ObjectNode read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(describe() + " does not exist: give the flag-definitions file flagd reads", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(describe() + " is not JSON (" + e.getOriginalMessage() + "); flagd flag definitions"
                    + " look like {\"flags\": {\"new-checkout\": {\"state\": \"ENABLED\", ...}}}", e);
        }
        if (root == null || !root.isObject() || !root.path("flags").isObject()) {
            throw new IOException(describe() + " has no \"flags\" object; flagd flag definitions look like"
                    + " {\"flags\": {\"new-checkout\": {\"state\": \"ENABLED\", ...}}}");
        }
        return (ObjectNode) root;
    }

    private ObjectNode flag(ObjectNode root, String flag) throws IOException {
        JsonNode definition = root.path("flags").path(FlagState.requireName(flag));
        if (definition.isMissingNode()) {
            throw new NoSuchFlagException(flag, describe());
        }
        if (!definition.isObject()) {
            throw new IOException("flag '" + flag + "' in " + describe() + " must be an object with a state, got "
                    + definition.getNodeType());
        }
        return (ObjectNode) definition;
    }

    private String state(ObjectNode definition, String flag) throws IOException {
        String state = definition.path("state").asText("");
        if (!state.equals(ENABLED) && !state.equals(DISABLED)) {
            throw new IOException("flag '" + flag + "' in " + describe() + " has state '" + state
                    + "'; flagd knows ENABLED or DISABLED");
        }
        return state;
    }
}
