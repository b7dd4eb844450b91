package dev.rollbackdeploy.record;

import java.io.IOException;
import java.util.List;

/**
 * A target's history as far as it can be trusted: the summaries of every record that reads and
 * verifies, newest first, and each record file that does not, with why. One bad file must not hide
 * every good build of the target (issue 9, item 8), nor may it be skipped silently.
 */
public record RecordListing(List<RecordSummary> records, List<Unreadable> unreadable) {

    /**
     * One record file that could not be trusted.
     *
     * @param problem a {@link CorruptRecordException}, an {@link UnsupportedRecordFormatException},
     *                or the I/O failure reading that one file; its message names the file and why
     */
    public record Unreadable(String file, IOException problem) {

        public Unreadable {
            if (file == null || problem == null) {
                throw new IllegalArgumentException("unreadable record needs file and problem, got file=" + file);
            }
        }

        public String reason() {
            return problem.getMessage();
        }
    }

    public RecordListing {
        records = List.copyOf(records);
        unreadable = List.copyOf(unreadable);
    }

    public boolean complete() {
        return unreadable.isEmpty();
    }
}
