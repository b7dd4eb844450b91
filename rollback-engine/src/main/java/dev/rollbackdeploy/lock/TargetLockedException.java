package dev.rollbackdeploy.lock;

import java.time.Duration;

/** Someone else holds the target's lock. The message says who, since when, and what to do. */
public final class TargetLockedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient LockInfo heldBy;

    public TargetLockedException(LockInfo heldBy, Duration waited) {
        super("target " + heldBy.target() + " is locked by " + heldBy
                + (waited.isZero() ? "" : "; waited " + waited)
                + ". Wait for it to finish, or pass a wait time to queue behind it");
        this.heldBy = heldBy;
    }

    public LockInfo heldBy() {
        return heldBy;
    }
}
