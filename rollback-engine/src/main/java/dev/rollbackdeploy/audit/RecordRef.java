package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.RecordCodec;
import dev.rollbackdeploy.record.RecordStore;
import java.io.IOException;

/**
 * The deployment record an audit event is about, pinned by content: the SHA-256 of the record's
 * stored bytes. Records are write-once, so a later mismatch means the record file was replaced.
 */
public record RecordRef(BuildRef build, Digest contentHash) {

    private static final RecordCodec CODEC = new RecordCodec();

    public RecordRef {
        if (build == null || contentHash == null) {
            throw new IllegalArgumentException("a record reference needs a build and a content hash, got build="
                    + build + " contentHash=" + contentHash);
        }
    }

    /**
     * Pins a build's record by the bytes the store holds ({@link RecordStore#storedHash}), which is
     * what {@link AuditLog#verify} compares against: right for a record of any format, also one
     * written by an older codec.
     *
     * @throws NoSuchRecordException the build has no record
     */
    public static RecordRef stored(RecordStore store, BuildRef build) throws IOException, InterruptedException {
        return new RecordRef(build, store.storedHash(build));
    }

    /**
     * Pins a record this process has just saved: the codec's bytes are deterministic, so hashing
     * the encoding equals hashing the file it wrote. For a record loaded from the store, use
     * {@link #stored}: an older-format record re-encodes the same today, but pinning the stored
     * bytes does not depend on that.
     */
    public static RecordRef of(DeploymentRecord record) {
        return new RecordRef(record.ref(), Digest.sha256Of(CODEC.encode(record)));
    }
}
