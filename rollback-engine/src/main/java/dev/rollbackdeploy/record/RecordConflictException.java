package dev.rollbackdeploy.record;

import java.io.IOException;

/**
 * A different record already exists for this build. Records are write-once: what a build put live
 * never changes afterwards, so the store refuses rather than overwrites.
 */
public final class RecordConflictException extends IOException {

    private static final long serialVersionUID = 1L;

    public RecordConflictException(BuildRef build, String existing) {
        super("a different record for " + build + " already exists at " + existing
                + "; records are write-once and are never overwritten");
    }
}
