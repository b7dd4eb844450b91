package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.audit.RecordRef;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.io.IOException;

/**
 * The front door's entries in the hash-chained audit log beside the store (docs/safety.md). An
 * append that fails fails the report, not the operation: the change already happened, so the
 * progress says the audit entry is missing.
 */
final class Audit {

    /** Longest reason or evidence kept in an entry; the record holds the rest. */
    private static final int LONGEST = 400;

    private Audit() {
    }

    static void append(OperationContext context, AuditAction action, String target, BuildRef from, BuildRef to,
            String reason, String evidence, DeploymentRecord record) throws InterruptedException {
        try {
            AuditLog.besideStore(context.store()).append(new AuditEvent(context.clock().instant(), context.actor(), action,
                    target, from, to, cut(reason), cut(evidence), record == null ? null : RecordRef.of(record)));
        } catch (IOException | IllegalArgumentException e) {
            context.progress().report("WARNING: the audit entry of this " + action + " on " + target + " is missing: "
                    + e.getMessage());
        }
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() > LONGEST ? oneLine.substring(0, LONGEST - 1) + "…" : oneLine;
    }
}
