package dev.rollbackdeploy.flags;

import java.io.IOException;

/**
 * Port: a feature-flag provider's switches in one environment (Unleash through its Admin API, a
 * webhook). Turning a flag off is the fastest rollback there is: no traffic moves, no pod restarts.
 *
 * <p>Exceptions, for every method: {@link NoSuchFlagException} the flag does not exist (nothing was
 * changed); {@link IOException} the provider could not be asked or refused (state unknown: read it
 * again); {@link InterruptedException} interrupted, flag kept.
 */
public interface FlagStore {

    /** Whether the flag is on now. Read-only. */
    boolean isEnabled(String flag) throws IOException, InterruptedException;

    /** Turns the flag on or off. Idempotent: setting the state it already has changes nothing. */
    void setEnabled(String flag, boolean enabled) throws IOException, InterruptedException;

    /** Where the flags live, for messages and records, e.g. {@code unleash http://flags:4242 default/production}; no secrets. */
    String describe();
}
