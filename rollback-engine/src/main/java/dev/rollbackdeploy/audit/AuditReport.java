package dev.rollbackdeploy.audit;

import java.util.List;
import java.util.Optional;

/**
 * What verification found: every entry it could read (in file order) and every problem. Intact
 * means no problem at all; any problem is a reason to distrust the log from that point on.
 */
public record AuditReport(List<AuditEntry> entries, List<AuditProblem> problems) {

    public AuditReport {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    /**
     * {@code #n sha256:…} of the last entry read, empty for an empty log: what a person copies somewhere the
     * writer cannot reach and compares later (the chain is tamper-evident, not tamper-proof).
     */
    public Optional<String> head() {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        AuditEntry last = entries.get(entries.size() - 1);
        return Optional.of("#" + last.seq() + " " + last.hash());
    }
}
