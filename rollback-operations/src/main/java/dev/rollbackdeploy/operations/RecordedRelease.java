package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.io.IOException;

/**
 * A release put live by something other than the front door's deploy and recorded here ({@code rollback
 * record}, the local drill's baseline and healthy candidate): saved like any record and audited as a
 * {@code DEPLOY} naming it, so verification knows the record came in through a recording and not
 * behind the log's back (docs/safety.md).
 */
public final class RecordedRelease {

    private RecordedRelease() {
    }

    /**
     * Saves the record, then appends its entry (the context's actor: who recorded it). Saving an equal
     * record again changes no record but logs the recording again.
     *
     * @param via what recorded it, for the entry's reason, e.g. "rollback record" or "the local drill"
     * @throws dev.rollbackdeploy.record.RecordConflictException another record of the build is stored; nothing was logged
     * @throws IOException the store could not be written; nothing was logged
     */
    public static void save(OperationContext context, DeploymentRecord record, String via)
            throws IOException, InterruptedException {
        context.records().save(record);
        Audit.append(context, AuditAction.DEPLOY, record.targetKey(), null, record.ref(),
                "recorded by " + via + ": deployed by " + record.build().actor(),
                record.manifests().size() + " objects, template set " + record.manifests().setHash(), record);
    }
}
