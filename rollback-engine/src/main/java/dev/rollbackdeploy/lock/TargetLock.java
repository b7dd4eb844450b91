package dev.rollbackdeploy.lock;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One mutator per target: whoever changes a target's traffic or objects holds its lock for the whole
 * change. Kubernetes targets use a Lease in the cluster; targets without one (HAProxy-fronted VMs, a
 * local directory) use {@link FileTargetLock}.
 */
public interface TargetLock {

    /**
     * Takes the target's lock for {@code holder}, waiting up to {@code wait} while someone else holds it.
     *
     * @param target a target key, e.g. {@code shop-vms}
     * @param holder who asks, written {@code job#number}
     * @throws TargetLockedException still held by someone else when the wait is over (zero = do not wait)
     */
    Held acquire(String target, String holder, Duration wait)
            throws TargetLockedException, IOException, InterruptedException;

    /** Who holds the target's lock now; empty when nobody does (a dead holder's lock counts as free). */
    Optional<LockInfo> holder(String target) throws IOException, InterruptedException;

    /** A lock taken; closing it gives it up (idempotent). */
    interface Held extends AutoCloseable {

        LockInfo info();

        /** The dead holder whose abandoned lock was taken over, if any. */
        Optional<LockInfo> tookOverFrom();

        @Override
        void close() throws IOException;
    }
}
