package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.audit.AuditLogCorruptException;
import dev.rollbackdeploy.audit.AuditProblem;
import dev.rollbackdeploy.audit.AuditReport;
import dev.rollbackdeploy.record.BuildRef;
import hudson.model.Job;
import hudson.model.ModelObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The controller's hash-chained audit log (docs/safety.md) as a job sees it: the entries about this job's
 * builds (deploys, gate verdicts, aborts, rollbacks, drills, overrides, recoveries, whoever ran them — a
 * step, the button, the CLI on the same store), newest first, and on {@code rollback-deployments/audit/}
 * the verification of the whole log. Read-only. Entries of other jobs are not shown; the details of
 * problems the verification finds (which may name other jobs' targets) only to administrators.
 */
public final class AuditView implements ModelObject {

    /** Entries shown on the Deployments page; the audit page shows all of this job's. */
    static final int RECENT = 20;

    private final Job<?, ?> job;

    AuditView(Job<?, ?> job) {
        this.job = job;
    }

    /** One entry for the page: plain getters for Jelly, escaped there. */
    public static final class Row {
        private final AuditEntry entry;

        Row(AuditEntry entry) {
            this.entry = entry;
        }

        public long getSeq() {
            return entry.seq();
        }

        public String getWhen() {
            return entry.event().at().toString();
        }

        public String getAction() {
            return entry.event().action().name();
        }

        public String getWho() {
            return entry.event().actor();
        }

        public String getTarget() {
            return entry.event().target();
        }

        public String getFrom() {
            return entry.event().from() == null ? "" : entry.event().from().toString();
        }

        public String getTo() {
            return entry.event().to() == null ? "" : entry.event().to().toString();
        }

        public String getReason() {
            return entry.event().reason();
        }

        public String getEvidence() {
            return entry.event().evidence();
        }
    }

    /**
     * Entries to show as a table: the object {@code entries.jelly} is included with ({@code it=}), so that
     * Stapler finds the page by this class; a {@code class=} include names a class the controller's web
     * class loader cannot see in a real Jenkins (only under JenkinsRule).
     */
    public static final class Table {
        private final List<Row> rows;
        private final String problem;

        Table(List<Row> rows, String problem) {
            this.rows = rows;
            this.problem = problem;
        }

        public List<Row> getRows() {
            return rows;
        }

        /** Why the log could not be read as a whole (the rows are then empty), or null. */
        public String getProblem() {
            return problem;
        }
    }

    /**
     * This job's newest entries for the Deployments page, read once without the record checks (cheap); a log
     * that cannot be read as a whole gives a table without rows and the reason, which the page shows.
     */
    public Table getRecentTable() {
        if (!isPresent()) {
            return new Table(List.of(), null);
        }
        try {
            List<Row> mine = mine(log().read());
            return new Table(mine.subList(0, Math.min(RECENT, mine.size())), null);
        } catch (AuditLogCorruptException e) {
            return new Table(List.of(), e.getMessage());
        } catch (IOException e) {
            return new Table(List.of(), "the audit log cannot be read: " + e.getMessage());
        }
    }

    public Job<?, ?> getJob() {
        return job;
    }

    /** A model object, so that Stapler routes {@code rollback-deployments/audit/} here. */
    @Override
    public String getDisplayName() {
        return "Audit log";
    }

    private AuditLog log() {
        return AuditLog.besideStore(ControllerRecords.storeDir());
    }

    /** The log's file, for people who want to copy it or run {@code rollback audit --verify} on it. */
    public String getFile() {
        return log().file().toString();
    }

    /** Whether anything was ever appended. */
    public boolean isPresent() {
        return log().exists();
    }

    /**
     * The audit page: the whole log checked (chain, head, every record it names, every stored record named),
     * also when there is no log (records left without one are findings), and all of this job's entries.
     */
    public Verification getVerification() throws IOException, InterruptedException {
        AuditReport report = log().verify(ControllerRecords.store());
        return new Verification(report, mine(report.entries()));
    }

    /** What verification found, for the audit page. */
    public static final class Verification {
        private final AuditReport report;
        private final List<Row> rows;

        Verification(AuditReport report, List<Row> rows) {
            this.report = report;
            this.rows = rows;
        }

        public boolean isIntact() {
            return report.intact();
        }

        public int getEntryCount() {
            return report.entries().size();
        }

        public int getProblemCount() {
            return report.problems().size();
        }

        /** {@code #n sha256:…} of the last entry: copy it somewhere the controller cannot write, compare later. */
        public String getHead() {
            return report.head().orElse("");
        }

        /** Every problem, for administrators only (a problem may name another job's target). */
        public List<String> getProblems() {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return List.of();
            }
            return report.problems().stream().map(AuditProblem::toString).toList();
        }

        /** The kinds found, for everyone: "EDITED, REMOVED". */
        public String getProblemKinds() {
            return String.join(", ", report.problems().stream().map(p -> p.kind().name()).distinct().toList());
        }

        public List<Row> getRows() {
            return rows;
        }

        public Table getTable() {
            return new Table(rows, null);
        }
    }

    /** The entries about this job's builds, newest first. */
    private List<Row> mine(List<AuditEntry> entries) {
        List<Row> rows = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            AuditEvent event = entries.get(i).event();
            if (ofThisJob(event.to()) || ofThisJob(event.from())) {
                rows.add(new Row(entries.get(i)));
            }
        }
        return rows;
    }

    private boolean ofThisJob(BuildRef build) {
        return build != null && build.job().equals(job.getFullName());
    }
}
