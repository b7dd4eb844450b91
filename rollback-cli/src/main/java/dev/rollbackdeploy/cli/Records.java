package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.CorruptRecordException;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.RecordStore;
import dev.rollbackdeploy.record.UnsupportedRecordFormatException;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

/** Loads records for commands, turning the store's exceptions into exit codes. */
final class Records {

    private Records() {
    }

    static DeploymentRecord load(RecordStore store, BuildRef build) throws CliException, InterruptedException {
        try {
            return store.load(build);
        } catch (NoSuchRecordException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage() + " (see `rollback history`)", e);
        } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
            throw new CliException(ExitCode.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            // The store's message says what failed and why ("permission denied", "not a directory").
            throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage(), e);
        }
    }

    /** The newest record of the target that matches, with the same exit codes as {@link #load}. */
    static Optional<DeploymentRecord> latest(RecordStore store, String targetKey, Predicate<DeploymentRecord> matching)
            throws CliException, InterruptedException {
        try {
            return store.latest(targetKey, matching);
        } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
            throw new CliException(ExitCode.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage(), e);
        }
    }
}
