package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.lock.TargetLockedException;
import java.io.IOException;

/** Takes a target's lock for an operation, with the failures as {@link OperationException} kinds. */
public final class TargetLocks {

    private TargetLocks() {
    }

    /**
     * @throws OperationException LOCKED (naming the holder) or INFRASTRUCTURE (the locks directory cannot be used)
     */
    public static TargetLock.Held hold(OperationContext context, String target, String holder)
            throws OperationException, InterruptedException {
        try {
            TargetLock.Held held = context.targetLocks().acquire(target, holder, context.lockWait());
            held.tookOverFrom().ifPresent(dead -> context.progress().report("took over the lock of " + target
                    + " abandoned by " + dead + " (that process is gone)"));
            context.progress().report("holding the lock of target " + target);
            return held;
        } catch (TargetLockedException e) {
            throw new OperationException(OperationException.Kind.LOCKED, e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot take the lock of target " + target
                    + " in " + context.locks() + ": " + e.getMessage(), e);
        }
    }
}
