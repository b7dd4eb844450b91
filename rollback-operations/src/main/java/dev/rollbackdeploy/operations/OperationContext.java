package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.record.FileRecordStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Where and for whom an operation runs: the record store, the target locks, who acts (written into
 * records), the clock, and where progress goes. One per run; the CLI builds it from its options, a
 * Jenkins step from its run (the actor is the build's user or the build itself).
 *
 * @param lockWait how long to wait when another run holds the target's lock (zero: fail at once)
 */
public record OperationContext(Path store, Path locks, Duration lockWait, String actor, Clock clock, Progress progress) {

    public OperationContext {
        if (store == null || locks == null || actor == null || clock == null || progress == null) {
            throw new IllegalArgumentException("an operation needs a store, a locks directory, an actor, a clock and a"
                    + " progress listener, got " + store + ", " + locks + ", " + actor + ", " + clock + ", " + progress);
        }
        if (lockWait == null || lockWait.isNegative()) {
            throw new IllegalArgumentException("lock wait must be zero or positive, got " + lockWait);
        }
    }

    /** The CLI's layout: locks in a {@code locks} directory next to the store, so every run sharing a store shares them. */
    public static OperationContext nextToStore(Path store, Duration lockWait, String actor, Clock clock, Progress progress) {
        return new OperationContext(store, locksNextTo(store), lockWait, actor, clock, progress);
    }

    public static Path locksNextTo(Path store) {
        Path absolute = store.toAbsolutePath().normalize();
        return absolute.getParent() == null ? absolute.resolve("locks") : absolute.getParent().resolve("locks");
    }

    public FileRecordStore records() {
        return new FileRecordStore(store);
    }

    public TargetLock targetLocks() {
        return new FileTargetLock(locks, clock);
    }
}
