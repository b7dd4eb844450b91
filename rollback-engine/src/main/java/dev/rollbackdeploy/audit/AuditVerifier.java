package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.audit.AuditProblem.Kind;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.RecordOnDisk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a log's lines as read, without touching any file: each line against its own hash, the
 * chain by sequence number (so a removal, a reordering and a replaced entry each get their own
 * finding instead of one "chain broken" for everything after), the head, every record named, and
 * every record in the store that no entry names.
 */
final class AuditVerifier {

    /** A line as read: its 1-based number, its text without newline, and whether a newline ended it. */
    record Line(long number, String text, boolean complete) {
    }

    private final AuditCodec codec = new AuditCodec();

    /** @param stored every record file of the store ({@code RecordStore::inventory}) */
    AuditReport verify(List<Line> lines, Optional<byte[]> headBytes, List<RecordOnDisk> stored) {
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
        records(entries, lineOf, stored, problems);
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

    private static void records(List<AuditEntry> entries, List<Long> lineOf, List<RecordOnDisk> stored,
            List<AuditProblem> problems) {
        Map<BuildRef, List<RecordOnDisk>> byBuild = new HashMap<>();
        for (RecordOnDisk record : stored) {
            if (record.build() != null) {
                byBuild.computeIfAbsent(record.build(), b -> new ArrayList<>()).add(record);
            }
        }
        Map<RecordRef, Long> named = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            RecordRef ref = entries.get(i).event().record();
            if (ref != null) {
                named.putIfAbsent(ref, lineOf.get(i));
            }
        }
        Set<BuildRef> namedBuilds = new HashSet<>();
        for (Map.Entry<RecordRef, Long> item : named.entrySet()) {
            RecordRef ref = item.getKey();
            namedBuilds.add(ref.build());
            List<RecordOnDisk> found = byBuild.getOrDefault(ref.build(), List.of());
            if (found.isEmpty()) {
                problems.add(new AuditProblem(Kind.RECORD_DELETED, item.getValue(), "the record of " + ref.build()
                        + " is gone from the store: it was deleted"));
            } else if (found.size() > 1) {
                problems.add(new AuditProblem(Kind.RECORD_UNREADABLE, item.getValue(), "the record of " + ref.build()
                        + " cannot be verified: the store holds more than one (" + found.stream().map(RecordOnDisk::file)
                                .toList() + "); a build records one deployment, so the store was changed by hand"));
            } else if (!found.get(0).verified()) {
                problems.add(new AuditProblem(Kind.RECORD_UNREADABLE, item.getValue(), "the record of " + ref.build()
                        + " cannot be verified: " + found.get(0).problem().getMessage()));
            } else if (!found.get(0).contentHash().equals(ref.contentHash())) {
                problems.add(new AuditProblem(Kind.RECORD_REPLACED, item.getValue(), "the record of " + ref.build()
                        + " hashes to " + found.get(0).contentHash() + " but was " + ref.contentHash()
                        + " when logged: it was replaced"));
            }
        }
        for (RecordOnDisk record : stored) {
            if (record.build() == null || !namedBuilds.contains(record.build())) {
                problems.add(new AuditProblem(Kind.RECORD_NOT_AUDITED, 0, notAudited(record)));
            }
        }
    }

    private static String notAudited(RecordOnDisk record) {
        if (record.build() == null) {
            return "record file " + record.file() + " is in the store, in no build's place, and no audit entry names it: "
                    + record.problem().getMessage();
        }
        return "the record of " + record.build() + " (target " + record.targetKey() + ") is in the store but no audit"
                + " entry names it: entries were removed or the log was replaced (or it was written by something that"
                + " does not audit)" + (record.verified() ? "" : "; it cannot be read either: " + record.problem().getMessage());
    }
}
