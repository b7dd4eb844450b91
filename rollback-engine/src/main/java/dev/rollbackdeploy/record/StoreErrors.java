package dev.rollbackdeploy.record;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns the JDK's terse file-system exceptions (an {@link AccessDeniedException}'s message is only
 * the path) into messages a person can act on: what the store was doing, where, and why. Issue 9
 * (item 8): an unreadable store read as "no records", and a failed load never said "permission
 * denied".
 */
final class StoreErrors {

    private StoreErrors() {
    }

    /** An IOException saying {@code what} failed and why; record exceptions pass through unchanged. */
    static IOException describe(String what, IOException e) {
        if (e instanceof CorruptRecordException || e instanceof UnsupportedRecordFormatException
                || e instanceof NoSuchRecordException || e instanceof RecordConflictException) {
            return e;
        }
        return new IOException(what + ": " + reason(e), e);
    }

    /** Why a file operation failed, in words, with the file when the JDK names it. */
    static String reason(IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            why = "not a directory";
        } else if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            why = fs.getReason();
        } else {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        FileSystemException fs = (FileSystemException) e;
        return fs.getFile() == null ? why : why + " (" + fs.getFile() + ")";
    }
}
