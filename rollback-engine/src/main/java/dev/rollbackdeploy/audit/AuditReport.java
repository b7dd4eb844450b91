package dev.rollbackdeploy.audit;

import java.util.List;

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
}
