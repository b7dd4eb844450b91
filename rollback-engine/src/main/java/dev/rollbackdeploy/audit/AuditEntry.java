package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.image.Digest;

/**
 * One line of the audit log: the event, its place in the chain ({@code seq} from 1, the previous
 * entry's hash) and its own hash over all of that, so any edit, removal or reordering shows.
 */
public record AuditEntry(long seq, Digest prev, AuditEvent event, Digest hash) {

    /** The {@code prev} of the first entry. */
    public static final Digest GENESIS = new Digest("sha256", "0".repeat(64));

    public AuditEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("audit entry seq must be 1 or more, got " + seq);
        }
        if (prev == null || event == null || hash == null) {
            throw new IllegalArgumentException("audit entry needs prev, event and hash, got prev=" + prev
                    + " event=" + event + " hash=" + hash);
        }
    }
}
