package dev.rollbackdeploy.flags.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.KillSwitch;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 2, OpenFeature flagd: the kill switch turns a flag off in a flagd flag-definitions file and
 * the real flagd provider (Maven Central, file mode, polling the file) then answers the application's
 * default; everything else in the file is kept; a missing flag, a broken file or a bad state change nothing.
 */
class FlagdFileFlagStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITIONS = """
            {
              "$schema": "https://flagd.dev/schema/v0/flags.json",
              "flags": {
                "new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"},
                "dark-mode": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                  "targeting": {"if": [{"==": [{"var": "email"}, "ops@example.com"]}, "on", "off"]}},
                "old-search": {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}
              }
            }
            """;

    @TempDir
    Path dir;

    private Path definitions() throws IOException {
        return Files.writeString(dir.resolve("flags.json"), DEFINITIONS);
    }

    @Test
    void theKillSwitchTurnsTheFlagOffAndTheRealFlagdProviderAnswersTheDefault() throws Exception {
        Path file = definitions();
        FlagdProvider provider = new FlagdProvider(FlagdOptions.builder().resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(file.toString()).offlinePollIntervalMs(100).build());
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        try {
            api.setProviderAndWait("flagd-file-test", provider);
            Client app = api.getClient("flagd-file-test");
            assertThat(app.getBooleanValue("new-checkout", false)).as("on before the switch").isTrue();

            List<FlagChange> changes = new KillSwitch(new FlagdFileFlagStore(file))
                    .turnOff(new KillSwitchSpec(List.of("new-checkout"), KillSwitchSpec.Mode.BEFORE_TRAFFIC));

            assertThat(changes).containsExactly(new FlagChange("new-checkout", true, false));
            assertThat(eventually(() -> app.getBooleanValue("new-checkout", false), false))
                    .as("the application gets its default once flagd has read the file").isFalse();
        } finally {
            api.shutdown();
        }
    }

    /** Polls a real file watcher (the provider re-reads the file every 100 ms) for up to 10 s. */
    private static boolean eventually(Callable<Boolean> read, boolean expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean value = read.call();
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            value = read.call();
        }
        return value;
    }

    @Test
    void onlyTheFlagsStateChangesTheRestOfTheFileIsKept() throws Exception {
        Path file = definitions();
        ObjectNode before = (ObjectNode) JSON.readTree(file.toFile());

        new FlagdFileFlagStore(file).setEnabled("new-checkout", false);

        ObjectNode after = (ObjectNode) JSON.readTree(file.toFile());
        assertThat(after.at("/flags/new-checkout/state").asText()).isEqualTo("DISABLED");
        ((ObjectNode) before.at("/flags/new-checkout")).put("state", "DISABLED");
        assertThat(after).isEqualTo(before);
        assertThat(new FlagdFileFlagStore(file).isEnabled("new-checkout")).isFalse();
        assertThat(new FlagdFileFlagStore(file).isEnabled("dark-mode")).isTrue();
        assertThat(new FlagdFileFlagStore(file).isEnabled("old-search")).isFalse();
    }

    @Test
    void aFlagAlreadyOffLeavesTheFileUntouched() throws Exception {
        Path file = definitions();
        byte[] before = Files.readAllBytes(file);

        new FlagdFileFlagStore(file).setEnabled("old-search", false);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aMissingFlagRefusesTheWholeSwitchAndChangesNothing() throws Exception {
        Path file = definitions();
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> new KillSwitch(new FlagdFileFlagStore(file))
                .turnOff(new KillSwitchSpec(List.of("new-checkout", "new-chekout"), KillSwitchSpec.Mode.BEFORE_TRAFFIC)))
                .isInstanceOf(NoSuchFlagException.class).hasMessageContaining("'new-chekout'")
                .hasMessageContaining(file.toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotFlagDefinitionsIsAClearErrorAndIsNotRewritten() throws Exception {
        Path notJson = Files.writeString(dir.resolve("flags.json"), "flags:\n  new-checkout: on\n");
        assertThatThrownBy(() -> new FlagdFileFlagStore(notJson).setEnabled("new-checkout", false))
                .isInstanceOf(IOException.class).hasMessageContaining("is not JSON").hasMessageContaining("\"flags\"");
        assertThat(Files.readString(notJson)).isEqualTo("flags:\n  new-checkout: on\n");

        Path badState = Files.writeString(dir.resolve("state.json"), "{\"flags\": {\"x\": {\"state\": \"ON\"}}}");
        assertThatThrownBy(() -> new FlagdFileFlagStore(badState).isEnabled("x"))
                .hasMessageContaining("has state 'ON'").hasMessageContaining("ENABLED or DISABLED");

        assertThatThrownBy(() -> new FlagdFileFlagStore(dir.resolve("missing.json")).isEnabled("x"))
                .isInstanceOf(IOException.class).hasMessageContaining("does not exist");
    }

    @Test
    void twoWritersAtOnceNeverLoseEachOthersChange() throws Exception {
        Path file = definitions();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> writers = new ArrayList<>();
            for (String flag : List.of("new-checkout", "dark-mode")) {
                writers.add(pool.submit(() -> {
                    FlagdFileFlagStore store = new FlagdFileFlagStore(file);
                    for (int i = 0; i < 50; i++) {
                        store.setEnabled(flag, i % 2 == 1);
                    }
                    return null;
                }));
            }
            for (Future<Void> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        FlagdFileFlagStore store = new FlagdFileFlagStore(file);
        assertThat(store.isEnabled("new-checkout")).isTrue();
        assertThat(store.isEnabled("dark-mode")).isTrue();
        assertThat(store.isEnabled("old-search")).isFalse();
    }
}
