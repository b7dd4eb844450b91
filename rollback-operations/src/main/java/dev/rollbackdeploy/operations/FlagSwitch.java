package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.FlagJson;
import dev.rollbackdeploy.flags.FlagStore;
import dev.rollbackdeploy.flags.KillSwitch;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import dev.rollbackdeploy.traffic.TrafficGuard;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A release's kill switch (docs/safety.md): the flags its new code sits behind, in one flag store, and
 * its mode. It is the rollout's {@link TrafficGuard}: an abort, a gate's rollback or a stop turns the
 * flags off just before traffic would go back to stable, then traffic moves ({@code BEFORE_TRAFFIC}) or
 * stays where it is ({@code INSTEAD_OF_TRAFFIC}); when the flags cannot be turned off, traffic moves in
 * either mode. What was turned off, or the flags' states at the end of a deploy, go into the record.
 */
public final class FlagSwitch {

    private final FlagStore store;
    private final KillSwitchSpec spec;
    private final KillSwitch killSwitch;
    private volatile List<FlagChange> changes;
    private volatile String failure;
    private volatile Boolean movesTraffic;

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

    /** Whether the flags go off before traffic moves back or instead of moving it. */
    public KillSwitchSpec.Mode mode() {
        return spec.mode();
    }

    /** This switch as the rollout's guard, reporting to {@code progress}. */
    TrafficGuard guard(Progress progress) {
        return newVersionFailed -> beforeTrafficBack(newVersionFailed, progress);
    }

    /**
     * Turns the flags off, once per deploy, and answers whether traffic must still move back. Never throws
     * for the store: traffic must still go back to stable when the flag store is down (or a flag reads back
     * on), so a failure is reported and answered with {@code true}, whatever the mode; so is a new version
     * that failed (flags cannot help code that does not run).
     */
    synchronized boolean beforeTrafficBack(boolean newVersionFailed, Progress progress) throws InterruptedException {
        if (movesTraffic != null) {
            return movesTraffic;
        }
        try {
            changes = killSwitch.turnOff(spec);
            movesTraffic = spec.movesTraffic() || newVersionFailed;
            progress.report("kill switch: " + killSwitch.summary(changes) + (movesTraffic
                    ? "; now moving traffic back" + (spec.movesTraffic() ? "" : " all the same: the new version failed")
                    : "; traffic is NOT moved (instead-of-traffic): the new code paths are dark behind the flags"));
        } catch (IOException e) {
            failure = e.getMessage();
            movesTraffic = true;
            progress.report("WARNING: the kill switch could not turn the flags off in " + store.describe() + ": "
                    + e.getMessage() + "; moving traffic back to stable instead");
        }
        return movesTraffic;
    }

    /** Whether the flags went off in place of moving traffic (instead-of-traffic, and the store answered). */
    public boolean replacedTraffic() {
        return Boolean.FALSE.equals(movesTraffic);
    }

    /** Why the flags could not be turned off, when they could not. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** One line for the audit log's evidence and a reason: what the switch did, or that it was not needed. */
    public Optional<String> summary() {
        if (failure != null) {
            return Optional.of("kill switch FAILED (" + failure + "); traffic moved back to stable");
        }
        List<FlagChange> made = changes;
        return made == null ? Optional.empty() : Optional.of("kill switch: " + killSwitch.summary(made)
                + (replacedTraffic() ? ", instead of moving traffic" : ", before moving traffic"));
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
    String changesSummary(List<FlagChange> made) {
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
        return spec.flags() + " in " + store.describe() + " (" + spec.mode() + ")";
    }
}
