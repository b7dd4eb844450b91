package dev.rollbackdeploy.record;

import dev.rollbackdeploy.image.Digest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where deploying builds leave their {@link DeploymentRecord}s, one per build, write-once.
 *
 * <p>Exceptions, for every method: {@link CorruptRecordException} a stored record cannot be
 * trusted (it names the file; the store never skips, repairs or overwrites it);
 * {@link UnsupportedRecordFormatException} a record was written by a newer plugin;
 * {@link IOException} otherwise the storage failed and nothing is known to have changed;
 * {@link InterruptedException} the wait for the store's lock was interrupted (the interrupt flag
 * is kept) and nothing was written.
 */
public interface RecordStore {

    /**
     * Stores the record of its build. Idempotent: saving a record equal to the stored one changes
     * nothing. Atomic: afterwards the record is either wholly stored or not at all.
     *
     * @throws RecordConflictException a different record for the same build exists; it is kept
     */
    void save(DeploymentRecord record) throws IOException, InterruptedException;

    /**
     * The verified record of this build. Read-only.
     *
     * @throws NoSuchRecordException the build has no record
     */
    DeploymentRecord load(BuildRef build) throws IOException, InterruptedException;

    /**
     * The SHA-256 of this build's record exactly as stored, after verifying it as {@link #load}
     * does. What pins a record (the audit log's {@code RecordRef}): hashing the stored bytes rather
     * than a re-encoding keeps an older-format record's pin valid whatever the codec writes later.
     * Read-only.
     *
     * @throws NoSuchRecordException the build has no record
     */
    Digest storedHash(BuildRef build) throws IOException, InterruptedException;

    /**
     * Summaries of every record of this target, newest first: by build number, then by start time,
     * then by job. Empty for an unknown target. Read-only; fails as a whole if any record is corrupt.
     */
    List<RecordSummary> list(String targetKey) throws IOException, InterruptedException;

    /**
     * Every record of this target that reads and verifies, newest first, and each record file that
     * does not, with why. Read-only. Fails as a whole only when the store itself cannot be read
     * (an {@link IOException} saying why, e.g. "permission denied").
     */
    default RecordListing listing(String targetKey) throws IOException, InterruptedException {
        return new RecordListing(list(targetKey), List.of());
    }

    /**
     * Every record file in the store, of every target, each read and verified once: its build, its
     * target and the SHA-256 of its stored bytes, or why it cannot be trusted. What the audit log's
     * verification compares with the records its entries name, and how it finds records no entry
     * names. Read-only. Fails as a whole only when the store itself cannot be read.
     */
    List<RecordOnDisk> inventory() throws IOException, InterruptedException;

    /**
     * The newest record of this target that matches, loading records newest first only until one
     * does. Read-only.
     */
    Optional<DeploymentRecord> latest(String targetKey, Predicate<DeploymentRecord> matching)
            throws IOException, InterruptedException;
}
