package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A restore's kill switch (docs/safety.md): the rolled-back release's flags, read at the door and turned
 * off after the lock and the plan, before the first write. In mode INSTEAD_OF_TRAFFIC turning them off is
 * the whole rollback; if the store cannot do it, the restore falls back to the plan's writes.
 */
final class RestoreFlags {

    private final Optional<FlagSwitch> flags;
    private List<FlagChange> changes = List.of();
    private String summary = "";
    private boolean failed;

    RestoreFlags(Optional<FlagSwitch> flags) {
        this.flags = flags;
    }

    /** @throws OperationException INVALID naming a flag that does not exist; INFRASTRUCTURE when the store cannot be read */
    void check() throws OperationException, InterruptedException {
        if (flags.isPresent()) {
            flags.get().check();
        }
    }

    boolean present() {
        return flags.isPresent();
    }

    /** Whether turning the flags off replaces the plan's writes. */
    boolean instead() {
        return flags.isPresent() && flags.get().mode() == KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC;
    }

    /**
     * Turns the flags off; never throws for the store (the caller decides what a failure means).
     *
     * @return whether the flags are off now
     */
    boolean turnOff(Progress progress) throws InterruptedException {
        if (flags.isEmpty()) {
            return false;
        }
        try {
            changes = flags.get().turnOffNow();
            summary = flags.get().changesSummary(changes);
            progress.report("kill switch: " + summary);
            return true;
        } catch (IOException e) {
            failed = true;
            summary = "the kill switch could not turn the flags off in " + flags.get() + ": " + e.getMessage();
            return false;
        }
    }

    /** What the dry run says would happen. */
    String wouldDo() {
        return flags.map(f -> "the kill switch would turn " + f + " off first"
                + (instead() ? ", instead of changing the target" : ", then restore")).orElse("");
    }

    List<FlagChange> changes() {
        return changes;
    }

    boolean changedAny() {
        return changes.stream().anyMatch(FlagChange::changed);
    }

    /** The audit entry's evidence part: what the switch did or why it could not; empty without one. */
    String summary() {
        return summary;
    }

    boolean failed() {
        return failed;
    }

    /** The record's {@code flags}: the changes, else the states now (the switch could not turn them off). */
    Optional<ObjectNode> recordForm(Progress progress) throws InterruptedException {
        if (flags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(flags.get().recordForm(progress));
    }
}
