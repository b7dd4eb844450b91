package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordCodec;

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
     * Pins a record as the store keeps it: the codec's bytes are deterministic and a store returns
     * only records that verified, so hashing the re-encoded record equals hashing its file.
     */
    public static RecordRef of(DeploymentRecord record) {
        return new RecordRef(record.ref(), Digest.sha256Of(CODEC.encode(record)));
    }
}
