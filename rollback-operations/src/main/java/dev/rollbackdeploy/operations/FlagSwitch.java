package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.FlagJson;
import dev.rollbackdeploy.flags.FlagStore;
import dev.rollbackdeploy.flags.KillSwitch;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A release's kill switch (docs/safety.md): the flags its new code sits behind, in one flag store. An
 * abort or a gate's rollback turns them off before traffic moves ({@link KillSwitchRouter}); what was
 * turned off, or the flags' states at the end of a deploy, go into the record.
 */
public final class FlagSwitch {

    private final FlagStore store;
    private final KillSwitchSpec spec;
    private final KillSwitch killSwitch;
    private volatile List<FlagChange> changes;

    private FlagSwitch(FlagStore store, KillSwitchSpec spec) {
        this.store = store;
        this.spec = spec;
        this.killSwitch = new KillSwitch(store);
    }

    public static FlagSwitch of(FlagStore store, KillSwitchSpec spec) {
        return new FlagSwitch(store, spec);
    }

    /**
     * Reads every flag once, before anything is locked or written, so a misspelt flag refuses the deploy.
     *
     * @throws OperationException INVALID naming the flag that does not exist; INFRASTRUCTURE when the store cannot be asked
     */
    public void check() throws OperationException, InterruptedException {
        try {
            killSwitch.states(spec.flags());
        } catch (NoSuchFlagException e) {
            throw new OperationException(OperationException.Kind.INVALID, "flags: " + e.getMessage() + "; nothing was changed", e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "flags: cannot read the kill switch's flags in "
                    + store.describe() + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }

    /**
     * Turns the flags off, once per deploy. Never throws for the store: traffic must still go back to stable
     * when the flag store is down, so a failure is only reported.
     */
    synchronized void turnOff(Progress progress) throws InterruptedException {
        if (changes != null) {
            return;
        }
        try {
            changes = killSwitch.turnOff(spec);
            progress.report("kill switch: " + killSwitch.summary(changes));
        } catch (IOException e) {
            progress.report("WARNING: the kill switch could not turn the flags off in " + store.describe() + ": "
                    + e.getMessage() + "; moving traffic anyway");
        }
    }

    /** Whether the flags go off before traffic moves (the default) or instead of moving it. */
    KillSwitchSpec.Mode mode() {
        return spec.mode();
    }

    /**
     * Turns the flags off now, for a restore, which decides itself what a failing store means.
     *
     * @throws IOException the store failed; flags before the failing one may be off (running it again converges)
     */
    synchronized List<FlagChange> turnOffNow() throws IOException, InterruptedException {
        changes = killSwitch.turnOff(spec);
        return changes;
    }

    /** One line for people and the audit log's evidence. */
    String summary(List<FlagChange> made) {
        return killSwitch.summary(made);
    }

    /** What was turned off, when it was. */
    public Optional<List<FlagChange>> changes() {
        return Optional.ofNullable(changes);
    }

    /** The record's form: the changes after a kill, else the flags' states now (empty list when unreadable). */
    ObjectNode recordForm(Progress progress) throws InterruptedException {
        List<FlagChange> made = changes;
        if (made != null) {
            return FlagJson.changes(store.describe(), made);
        }
        try {
            return FlagJson.states(store.describe(), killSwitch.states(spec.flags()));
        } catch (IOException e) {
            progress.report("WARNING: the flags' states are not recorded: " + e.getMessage());
            return FlagJson.states(store.describe(), List.of());
        }
    }

    @Override
    public String toString() {
        return spec.flags() + " in " + store.describe();
    }
}
