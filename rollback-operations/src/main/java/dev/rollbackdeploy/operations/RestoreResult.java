package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.restore.PreparedRestore;
import dev.rollbackdeploy.schema.RecoveryRun;
import dev.rollbackdeploy.schema.SchemaDecision;
import java.util.List;
import java.util.Optional;

/**
 * How a restore ended when it was not a failure (failures are {@link OperationException}s, audited
 * before they are thrown).
 *
 * @param from     the build that was live before, when a record of it matches what was live; else empty
 * @param prepared the checked plan (for DRY_RUN and PLAN_REFUSED: what it would have done)
 * @param schema   the schema check's decision, when one ran
 * @param flags    what the kill switch did to each flag (empty when there is none or it could not turn them off)
 * @param recovery the point-in-time recovery that ran, when one did
 * @param recorded the build under which a record of this restore was saved, when one was
 */
public record RestoreResult(Status status, BuildRef build, Optional<BuildRef> from, PreparedRestore prepared, int writes,
        Optional<SchemaDecision> schema, String summary, List<FlagChange> flags, Optional<RecoveryRun> recovery,
        Optional<BuildRef> recorded) {

    /**
     * RESTORED wrote; ALREADY_LIVE and DRY_RUN wrote nothing; PLAN_REFUSED: the plan needs what was not allowed;
     * FLAGS_OFF: the kill switch (mode INSTEAD_OF_TRAFFIC) turned the flags off and the target was left as it is.
     */
    public enum Status { RESTORED, ALREADY_LIVE, DRY_RUN, PLAN_REFUSED, FLAGS_OFF }

    public RestoreResult {
        if (flags == null || recovery == null || recorded == null) {
            throw new IllegalArgumentException("flags, recovery and recorded must be given (empty when none), got null");
        }
        flags = List.copyOf(flags);
    }

    public Plan plan() {
        return prepared.plan();
    }
}
