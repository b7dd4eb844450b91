package dev.rollbackdeploy.record;

import dev.rollbackdeploy.image.Digest;
import java.io.IOException;

/**
 * One record file of a store as an audit sees it ({@link RecordStore#inventory}): the build and
 * target its place in the store says it holds, and either the SHA-256 of its bytes (it read and
 * verified as {@link RecordStore#storedHash} does) or why it cannot be trusted.
 *
 * @param build       the build whose record belongs here; null only for a file that is no build's place
 *                    (a directory name no key or job encodes to), which then has a problem
 * @param targetKey   the target whose directory holds it; null as {@code build}
 * @param file        where it is, for messages
 * @param contentHash the stored bytes' SHA-256; null when {@code problem} says why they could not be verified
 * @param problem     a {@link CorruptRecordException}, an {@link UnsupportedRecordFormatException} or the I/O
 *                    failure reading this one file; null when it verified
 */
public record RecordOnDisk(BuildRef build, String targetKey, String file, Digest contentHash, IOException problem) {

    public RecordOnDisk {
        if (file == null || (contentHash == null) == (problem == null)
                || contentHash != null && (build == null || targetKey == null)) {
            throw new IllegalArgumentException("a stored record needs a file and either a verified content hash (with its"
                    + " build and target) or a problem, got file=" + file + " build=" + build + " hash=" + contentHash
                    + " problem=" + problem);
        }
    }

    public boolean verified() {
        return problem == null;
    }
}
