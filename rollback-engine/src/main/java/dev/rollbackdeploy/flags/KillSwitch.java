package dev.rollbackdeploy.flags;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a release's flags off through a {@link FlagStore}: every flag is read first, so a flag that
 * does not exist refuses the whole switch before any flag changes; then each flag that is on is
 * turned off and read back. Idempotent: flags already off are left alone and reported unchanged.
 */
public final class KillSwitch {

    private final FlagStore store;

    public KillSwitch(FlagStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @return one change per flag, in the spec's order, for the record and the audit log
     * @throws NoSuchFlagException a flag does not exist; no flag was changed
     * @throws IOException         the store failed; flags before the failing one may be off already
     *                             (running the switch again converges)
     */
    public List<FlagChange> turnOff(KillSwitchSpec spec) throws IOException, InterruptedException {
        List<FlagState> before = states(spec.flags());
        List<FlagChange> changes = new ArrayList<>();
        for (FlagState flag : before) {
            if (flag.enabled()) {
                store.setEnabled(flag.flag(), false);
                if (store.isEnabled(flag.flag())) {
                    throw new IOException("flag '" + flag.flag() + "' in " + store.describe()
                            + " still reads as on after turning it off");
                }
            }
            changes.add(new FlagChange(flag.flag(), flag.enabled(), false));
        }
        return changes;
    }

    /** The flags' states now, for a record. Read-only. */
    public List<FlagState> states(List<String> flags) throws IOException, InterruptedException {
        List<FlagState> states = new ArrayList<>();
        for (String flag : flags) {
            states.add(new FlagState(FlagState.requireName(flag), store.isEnabled(flag)));
        }
        return states;
    }

    /** One line for people and the audit log's evidence. */
    public String summary(List<FlagChange> changes) {
        return "flags in " + store.describe() + ": " + String.join(", ", changes.stream().map(FlagChange::toString).toList());
    }
}
