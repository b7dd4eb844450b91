package dev.rollbackdeploy.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KillSwitchTest {

    /** A store in memory that counts writes. */
    static final class MemoryFlags implements FlagStore {
        final Map<String, Boolean> flags = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();
        boolean ignoreWrites;

        @Override
        public boolean isEnabled(String flag) throws IOException {
            Boolean state = flags.get(flag);
            if (state == null) {
                throw new NoSuchFlagException(flag, describe());
            }
            return state;
        }

        @Override
        public void setEnabled(String flag, boolean enabled) throws IOException {
            isEnabled(flag);
            writes.add(flag + "=" + enabled);
            if (!ignoreWrites) {
                flags.put(flag, enabled);
            }
        }

        @Override
        public String describe() {
            return "memory";
        }
    }

    private final MemoryFlags store = new MemoryFlags();

    @Test
    void turnsOnFlagsOffAndLeavesOffFlagsAlone() throws Exception {
        store.flags.put("new-checkout", true);
        store.flags.put("fast-search", false);

        List<FlagChange> changes = new KillSwitch(store).turnOff(spec("new-checkout", "fast-search"));

        assertThat(changes).containsExactly(new FlagChange("new-checkout", true, false), new FlagChange("fast-search", false, false));
        assertThat(store.writes).containsExactly("new-checkout=false");
        assertThat(new KillSwitch(store).summary(changes)).isEqualTo("flags in memory: new-checkout on -> off, fast-search off -> off");
        assertThat(FlagJson.changes(store.describe(), changes).toString())
                .isEqualTo("{\"store\":\"memory\",\"flags\":[{\"flag\":\"new-checkout\",\"before\":true,\"enabled\":false},"
                        + "{\"flag\":\"fast-search\",\"before\":false,\"enabled\":false}]}");
    }

    @Test
    void aFlagThatDoesNotExistChangesNoFlag() {
        store.flags.put("new-checkout", true);

        assertThatThrownBy(() -> new KillSwitch(store).turnOff(spec("new-checkout", "new-chekout")))
                .isInstanceOf(NoSuchFlagException.class).hasMessageContaining("'new-chekout' does not exist in memory");

        assertThat(store.writes).isEmpty();
        assertThat(store.flags).containsEntry("new-checkout", true);
    }

    @Test
    void aFlagThatStaysOnIsAnError() {
        store.flags.put("new-checkout", true);
        store.ignoreWrites = true;

        assertThatThrownBy(() -> new KillSwitch(store).turnOff(spec("new-checkout")))
                .isInstanceOf(IOException.class).hasMessageContaining("still reads as on");
    }

    @Test
    void badSpecsAreRefusedAtTheDoor() {
        assertThatThrownBy(() -> spec("ok", "ok")).hasMessageContaining("must not repeat");
        assertThatThrownBy(() -> spec("bad name")).hasMessageContaining("flag name").hasMessageContaining("'bad name'");
        assertThatThrownBy(() -> new KillSwitchSpec(List.of(), KillSwitchSpec.Mode.BEFORE_TRAFFIC)).hasMessageContaining("one or more");
    }

    private static KillSwitchSpec spec(String... flags) {
        return new KillSwitchSpec(List.of(flags), KillSwitchSpec.Mode.BEFORE_TRAFFIC);
    }
}
