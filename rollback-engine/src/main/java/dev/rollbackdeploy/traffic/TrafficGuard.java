package dev.rollbackdeploy.traffic;

/**
 * Asked by a rollout just before it puts traffic back on stable — an abort, a gate's rollback, a
 * person's stop, blue-green's switch back — never before a promotion's writes. A release's kill switch
 * (docs/safety.md) is one: it turns the release's flags off first, and may replace moving traffic.
 *
 * <p>Never throws for its own failures (a flag store that is down): traffic must still be able to go
 * back, so the guard reports the failure and answers {@code true}. Idempotent: asked again (a retried
 * write), it does nothing more and answers the same.
 */
@FunctionalInterface
public interface TrafficGuard {

    /** No guard: traffic always moves. */
    TrafficGuard NONE = newVersionFailed -> true;

    /**
     * @param newVersionFailed the rollout goes back because the new version cannot work (its pods fail, a
     *                         step could not be carried out): traffic must move whatever the guard would
     *                         rather do, since turning flags off cannot help code that does not run
     * @return true: move traffic back now; false: the guard replaced moving traffic, leave the split as it is
     *         (never false when {@code newVersionFailed})
     * @throws InterruptedException interrupted while the guard acted (the interrupt is kept)
     */
    boolean beforeTrafficBack(boolean newVersionFailed) throws InterruptedException;
}
