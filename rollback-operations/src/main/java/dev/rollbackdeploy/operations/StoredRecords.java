package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.CorruptRecordException;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordStore;
import dev.rollbackdeploy.record.UnsupportedRecordFormatException;
import java.io.IOException;
import java.util.Optional;

/** Reads records for operations, turning the store's exceptions into {@link OperationException} kinds. */
final class StoredRecords {

    private StoredRecords() {
    }

    /** The build's record, or empty when it has none. */
    static Optional<DeploymentRecord> find(RecordStore store, BuildRef build) throws OperationException, InterruptedException {
        try {
            return Optional.of(store.load(build));
        } catch (NoSuchRecordException e) {
            return Optional.empty();
        } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
            throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot read the record of " + build + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The newest build of the target whose record holds what was live when it ended: promoted, or a restore's
     * own record (ROLLED_BACK without gate looks: it holds the release the restore left live). A deploy rolled
     * back by its gate has looks and is not one: its release was refused.
     */
    static Optional<DeploymentRecord> latestPromoted(RecordStore store, String target) throws OperationException,
            InterruptedException {
        try {
            return store.latest(target, StoredRecords::heldLive);
        } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
            throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot read the records of target " + target
                    + ": " + e.getMessage(), e);
        }
    }

    /** Whether the record holds the release that was live when it ended (see {@link #latestPromoted}). */
    static boolean heldLive(DeploymentRecord record) {
        Outcome.Status status = record.outcome().status();
        return status == Outcome.Status.PROMOTED
                || status == Outcome.Status.ROLLED_BACK && record.gateEvidence().isEmpty() && !record.manifests().objects().isEmpty();
    }
}
