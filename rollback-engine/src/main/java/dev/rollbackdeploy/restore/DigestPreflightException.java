package dev.rollbackdeploy.restore;

/**
 * A build cannot be restored because some of its recorded image digests no longer exist. Retrying
 * will not help; restoring {@link #blocked()}{@code .nearestRestorable()} might.
 */
public final class DigestPreflightException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient DigestPreflight.Blocked blocked;

    public DigestPreflightException(DigestPreflight.Blocked blocked) {
        super(blocked.reason());
        this.blocked = blocked;
    }

    public DigestPreflight.Blocked blocked() {
        return blocked;
    }
}
