package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.io.IOException;

/**
 * A release deployed by something else and recorded here ({@code rollback record}): saved like any
 * record and audited as a {@code DEPLOY} naming it, so verification knows the record went live through
 * a recording and not behind the log's back (docs/safety.md).
 */
public final class RecordedRelease {

    private RecordedRelease() {
    }

    /**
     * Saves the record, then appends its entry (the context's actor: who recorded it). Saving an equal
     * record again changes no record but logs the recording again.
     *
     * @param via what recorded it, for the entry's reason, e.g. "rollback record"
     * @throws dev.rollbackdeploy.record.RecordConflictException another record of the build is stored; nothing was logged
     * @throws IOException the store could not be written; nothing was logged
     */
    public static void save(OperationContext context, DeploymentRecord record, String via)
            throws IOException, InterruptedException {
        context.records().save(record);
        Audit.append(context, AuditAction.DEPLOY, record.targetKey(), null, record.ref(),
                "recorded by " + via + ": deployed by " + record.build().actor() + " outside rollback-deploy",
                record.manifests().size() + " objects, template set " + record.manifests().setHash(), record);
    }
}
