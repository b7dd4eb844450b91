package dev.rollbackdeploy.registry;

import java.time.Duration;

/** Waits between retries. Tests pass one that records the waits instead of taking them. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    /** @throws InterruptedException the wait was interrupted; the caller must stop and keep the interrupt */
    void sleep(Duration duration) throws InterruptedException;
}
