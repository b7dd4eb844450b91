package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.restore.PreparedRestore;
import dev.rollbackdeploy.schema.SchemaDecision;
import java.util.Optional;

/**
 * How a restore ended when it was not a failure (failures are {@link OperationException}s, audited
 * before they are thrown).
 *
 * @param from     the build that was live before, when a record of it matches what was live; else empty
 * @param prepared the checked plan (for DRY_RUN and PLAN_REFUSED: what it would have done)
 * @param schema   the schema check's decision, when one ran
 */
public record RestoreResult(Status status, BuildRef build, Optional<BuildRef> from, PreparedRestore prepared, int writes,
        Optional<SchemaDecision> schema, String summary) {

    /** RESTORED wrote; ALREADY_LIVE and DRY_RUN wrote nothing; PLAN_REFUSED: the plan needs what was not allowed. */
    public enum Status { RESTORED, ALREADY_LIVE, DRY_RUN, PLAN_REFUSED }

    public Plan plan() {
        return prepared.plan();
    }
}
