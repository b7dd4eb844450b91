package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.audit.AuditProblem.Kind;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.CorruptRecordException;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.UnsupportedRecordFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a log's lines as read, without touching any file: each line against its own hash, the
 * chain by sequence number (so a removal, a reordering and a replaced entry each get their own
 * finding instead of one "chain broken" for everything after), the head, and every record named.
 */
final class AuditVerifier {

    /** The content hash of a stored record; read-only. */
    @FunctionalInterface
    interface RecordHashes {
        /**
         * @throws NoSuchRecordException    the record is gone
         * @throws CorruptRecordException   it cannot be verified
         * @throws IOException              the store could not be read (verification cannot finish)
         */
        Digest of(BuildRef build) throws IOException, InterruptedException;
    }

    /** A line as read: its 1-based number, its text without newline, and whether a newline ended it. */
    record Line(long number, String text, boolean complete) {
    }

    private final AuditCodec codec = new AuditCodec();

    AuditReport verify(List<Line> lines, Optional<byte[]> headBytes, RecordHashes records)
            throws IOException, InterruptedException {
        List<AuditProblem> problems = new ArrayList<>();
        List<AuditEntry> entries = new ArrayList<>();
        List<Long> lineOf = new ArrayList<>();
        for (Line line : lines) {
            if (!line.complete()) {
                problems.add(new AuditProblem(Kind.TRUNCATED, line.number(), "the last line has no newline: a write "
                        + "was cut off or the file was edited (" + line.text().length() + " characters)"));
                continue;
            }
            try {
                AuditCodec.Decoded decoded = codec.decode(line.text());
                if (!decoded.intact()) {
                    problems.add(new AuditProblem(Kind.EDITED, line.number(), "entry #" + decoded.entry().seq()
                            + " was edited: its content hashes to " + decoded.computedHash() + " but it says "
                            + decoded.entry().hash()));
                }
                entries.add(decoded.entry());
                lineOf.add(line.number());
            } catch (IllegalArgumentException e) {
                problems.add(new AuditProblem(Kind.UNREADABLE, line.number(), "not an audit entry: " + e.getMessage()));
            }
        }
        Map<Long, AuditEntry> bySeq = chain(entries, lineOf, problems);
        head(bySeq, headBytes, problems);
        records(entries, lineOf, records, problems);
        return new AuditReport(entries, problems);
    }

    private static Map<Long, AuditEntry> chain(List<AuditEntry> entries, List<Long> lineOf, List<AuditProblem> problems) {
        Map<Long, AuditEntry> bySeq = new HashMap<>();
        long previousSeq = 0;
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry entry = entries.get(i);
            if (entry.seq() <= previousSeq) {
                problems.add(new AuditProblem(Kind.REORDERED, lineOf.get(i), "entry #" + entry.seq() + " comes after #"
                        + previousSeq + ": entries were reordered or copied"));
            }
            previousSeq = Math.max(previousSeq, entry.seq());
            bySeq.putIfAbsent(entry.seq(), entry);
        }
        long missingFrom = -1;
        for (long seq = 1; seq <= previousSeq + 1; seq++) {
            boolean present = bySeq.containsKey(seq) || seq == previousSeq + 1;
            if (!present && missingFrom < 0) {
                missingFrom = seq;
            } else if (present && missingFrom > 0) {
                problems.add(new AuditProblem(Kind.REMOVED, 0, (missingFrom == seq - 1 ? "entry #" + missingFrom + " is"
                        : "entries #" + missingFrom + "..#" + (seq - 1) + " are") + " missing: removed from the log"));
                missingFrom = -1;
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry entry = entries.get(i);
            Digest expected = entry.seq() == 1 ? AuditEntry.GENESIS
                    : bySeq.containsKey(entry.seq() - 1) ? bySeq.get(entry.seq() - 1).hash() : null;
            if (expected != null && !expected.equals(entry.prev()) && bySeq.get(entry.seq()) == entry) {
                problems.add(new AuditProblem(Kind.REPLACED, lineOf.get(i), "entry #" + entry.seq()
                        + " does not follow #" + (entry.seq() - 1) + " (it names " + entry.prev() + ", #"
                        + (entry.seq() - 1) + " hashes to " + expected + "): one of them was replaced"));
            }
        }
        return bySeq;
    }

    private static void head(Map<Long, AuditEntry> bySeq, Optional<byte[]> headBytes, List<AuditProblem> problems) {
        long last = bySeq.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        if (headBytes.isEmpty()) {
            if (last > 0) {
                problems.add(new AuditProblem(Kind.HEAD_MISMATCH, 0, "the head file is missing; the log has "
                        + last + " entries"));
            }
            return;
        }
        Head head;
        try {
            head = Head.parse(headBytes.get());
        } catch (IllegalArgumentException e) {
            problems.add(new AuditProblem(Kind.HEAD_MISMATCH, 0, "the head file is unreadable: " + e.getMessage()));
            return;
        }
        if (head.seq() > last) {
            problems.add(new AuditProblem(Kind.REMOVED, 0, "the log ends at #" + last + " but its head says #"
                    + head.seq() + " was written: entries were removed from the end"));
        } else if (!bySeq.containsKey(head.seq())) {
            return; // reported as removed already
        } else if (!bySeq.get(head.seq()).hash().equals(head.hash())) {
            problems.add(new AuditProblem(Kind.HEAD_MISMATCH, 0, "entry #" + head.seq() + " hashes to "
                    + bySeq.get(head.seq()).hash() + " but the head says " + head.hash() + ": it was replaced"));
        } else if (head.seq() < last - 1) {
            // One behind is a crash between the append and the head write; the next append repairs it.
            problems.add(new AuditProblem(Kind.HEAD_MISMATCH, 0, "entries #" + (head.seq() + 1) + "..#" + last
                    + " were added without updating the head: not written by an audit log writer"));
        }
    }

    private static void records(List<AuditEntry> entries, List<Long> lineOf, RecordHashes records,
            List<AuditProblem> problems) throws IOException, InterruptedException {
        Map<RecordRef, Long> named = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            RecordRef ref = entries.get(i).event().record();
            if (ref != null) {
                named.putIfAbsent(ref, lineOf.get(i));
            }
        }
        for (Map.Entry<RecordRef, Long> item : named.entrySet()) {
            RecordRef ref = item.getKey();
            try {
                Digest now = records.of(ref.build());
                if (!now.equals(ref.contentHash())) {
                    problems.add(new AuditProblem(Kind.RECORD_REPLACED, item.getValue(), "the record of " + ref.build()
                            + " hashes to " + now + " but was " + ref.contentHash() + " when logged: it was replaced"));
                }
            } catch (NoSuchRecordException e) {
                problems.add(new AuditProblem(Kind.RECORD_DELETED, item.getValue(), "the record of " + ref.build()
                        + " is gone from the store: it was deleted"));
            } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
                problems.add(new AuditProblem(Kind.RECORD_UNREADABLE, item.getValue(), "the record of " + ref.build()
                        + " cannot be verified: " + e.getMessage()));
            }
        }
    }
}
