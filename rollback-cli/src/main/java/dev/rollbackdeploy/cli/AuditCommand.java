package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.audit.AuditLogCorruptException;
import dev.rollbackdeploy.audit.AuditProblem;
import dev.rollbackdeploy.audit.AuditReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Shows the audit log, or verifies its chain, its head, the records it names and that every record in
 * the store is named (exit 6 when tampered).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show the audit log (who deployed, rolled back or overrode what, why, on which evidence); "
                + "--verify checks it has not been edited, shortened or reordered, that no record it names was "
                + "deleted or replaced and that every record in the store is named by an entry (exit 6 if not).")
final class AuditCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "The audit log (default: audit/audit.jsonl beside the store's directory).")
    Path logFile;

    @Option(names = "--verify", description = "Verify the whole log, the records it names and that every stored record is audited; exit 6 on any finding.")
    boolean verify;

    @Option(names = "--target", paramLabel = "KEY", description = "Show only this target's entries (--verify still checks the whole chain).")
    String target;

    @Override
    ExitCode execute() throws Exception {
        AuditLog log = logFile == null ? AuditLog.besideStore(store.dir) : new AuditLog(logFile);
        try {
            return verify ? verify(log) : show(log, log.read());
        } catch (AuditLogCorruptException e) {
            throw new CliException(ExitCode.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "cannot read audit log " + log.file() + ": " + e, e);
        }
    }

    private ExitCode verify(AuditLog log) throws Exception {
        AuditReport report = log.verify(store.open());
        List<AuditEntry> shown = shown(report.entries());
        StringBuilder text = new StringBuilder();
        shown.forEach(entry -> text.append(line(entry)));
        boolean exists = log.exists();
        if (!exists && report.intact()) {
            // "0 entries, intact" for a path nobody wrote to (a typo in --store) would reassure about nothing.
            // With records in the store, a missing log is not intact: each record is a RECORD_NOT_AUDITED finding.
            text.append("no audit log at ").append(log.file()).append(" (store ").append(store.dir)
                    .append(", which holds no records): nothing has been audited with this store yet, or the whole log"
                            + " was deleted together with every record, which only a head kept elsewhere can show"
                            + " (docs/safety.md)\n");
        } else if (report.intact()) {
            text.append("audit log ").append(log.file()).append(": ").append(report.entries().size())
                    .append(" entries, intact").append(report.head().map(h -> "; head " + h).orElse("")).append('\n');
        } else {
            text.append("audit log ").append(log.file()).append(exists ? "" : " (missing, with its head)")
                    .append(" has been TAMPERED WITH (").append(report.problems().size()).append(" finding(s)):\n");
            report.problems().forEach(problem -> text.append("  ").append(problem).append('\n'));
        }
        console().result(text.toString());
        Map<String, Object> json = document(log, shown);
        json.put("exists", exists);
        json.put("intact", report.intact());
        json.put("problems", report.problems().stream().map(AuditCommand::problem).toList());
        console().json(json);
        if (!report.intact()) {
            console().error("audit log verification failed: " + report.problems().get(0));
            return ExitCode.REFUSED;
        }
        return ExitCode.OK;
    }

    private ExitCode show(AuditLog log, List<AuditEntry> entries) {
        List<AuditEntry> shown = shown(entries);
        StringBuilder text = new StringBuilder();
        if (shown.isEmpty()) {
            text.append("no audit entries").append(target == null ? "" : " for target " + target).append(" in ")
                    .append(log.file()).append('\n');
        }
        shown.forEach(entry -> text.append(line(entry)));
        console().result(text.toString());
        console().json(document(log, shown));
        return ExitCode.OK;
    }

    private List<AuditEntry> shown(List<AuditEntry> entries) {
        return entries.stream().filter(e -> target == null || e.event().target().equals(target)).toList();
    }

    private static String line(AuditEntry entry) {
        AuditEvent e = entry.event();
        String builds = (e.from() == null ? "-" : e.from().toString()) + " -> " + (e.to() == null ? "-" : e.to().toString());
        return String.format("#%-5d %s %-12s %-16s %-30s by %s: %s%s%n", entry.seq(), e.at(), e.action(), e.target(),
                builds, e.actor(), e.reason(), e.evidence().isEmpty() ? "" : " [" + e.evidence() + "]");
    }

    private static Map<String, Object> document(AuditLog log, List<AuditEntry> shown) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("log", log.file().toString());
        json.put("entries", shown.stream().map(AuditCommand::entry).toList());
        return json;
    }

    private static Map<String, Object> entry(AuditEntry entry) {
        AuditEvent e = entry.event();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seq", entry.seq());
        row.put("at", e.at().toString());
        row.put("actor", e.actor());
        row.put("action", e.action().name());
        row.put("target", e.target());
        row.put("from", e.from() == null ? null : e.from().toString());
        row.put("to", e.to() == null ? null : e.to().toString());
        row.put("reason", e.reason());
        row.put("evidence", e.evidence());
        row.put("record", e.record() == null ? null : e.record().build() + " " + e.record().contentHash());
        row.put("hash", entry.hash().toString());
        return row;
    }

    private static Map<String, Object> problem(AuditProblem problem) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", problem.kind().name());
        row.put("line", problem.line());
        row.put("message", problem.message());
        return row;
    }
}
