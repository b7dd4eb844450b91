package dev.rollbackdeploy.kubernetes;

import java.time.Instant;

/** Another build holds the lock of a target and its lease has not expired. */
public final class TargetLockedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String holder;
    private final Instant since;
    private final Instant expires;

    public TargetLockedException(String target, String holder, Instant since, Instant expires) {
        super("target " + target + " is locked by " + holder + " since " + since + " (lease expires " + expires + ")");
        this.holder = holder;
        this.since = since;
        this.expires = expires;
    }

    /** The build holding the lock, written {@code job#number}. */
    public String holder() {
        return holder;
    }

    public Instant since() {
        return since;
    }

    public Instant expires() {
        return expires;
    }
}
