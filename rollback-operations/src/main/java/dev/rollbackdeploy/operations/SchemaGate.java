package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.schema.SchemaDecision;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaOverride;
import dev.rollbackdeploy.schema.SchemaRequirement;
import java.util.Optional;

/**
 * A restore's schema check (docs/safety.md): when a datasource is configured for the target, the
 * live migration history against the range the target's record carries. A refusal stops the restore
 * before its first write; an override lets it go on and is audited as OVERRIDE with the person's reason.
 */
final class SchemaGate {

    private final OperationContext context;
    private final RestoreRequest request;
    private Optional<SchemaOverride> override = Optional.empty();
    private Optional<SchemaDecision> decision = Optional.empty();

    SchemaGate(OperationContext context, RestoreRequest request) {
        this.context = context;
        this.request = request;
    }

    /** Checks the override's reason before anything is locked. @throws OperationException INVALID */
    void validate() throws OperationException {
        if (request.schemaOverride().isEmpty()) {
            return;
        }
        try {
            override = Optional.of(new SchemaOverride(context.actor(), request.schemaOverride().get()));
        } catch (IllegalArgumentException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
        }
    }

    /** @throws OperationException REFUSED naming the migrations (or why the schema could not be read) */
    void check(Optional<BuildRef> from) throws OperationException, InterruptedException {
        BuildRef build = request.record().ref();
        Optional<SchemaRequirement> requirement = Optional.ofNullable(requirement(request.record()));
        if (request.schema().isEmpty()) {
            requirement.ifPresent(r -> context.progress().report("WARNING: " + build + " ran with schema " + r.ranWith()
                    + " but no datasource is configured for " + request.record().targetKey()
                    + ": the live schema is NOT checked"));
            override.ifPresent(o -> context.progress().report("the schema override is not used: no schema check runs"));
            return;
        }
        SchemaDecision decided = request.schema().get().check(build.toString(), requirement.orElse(null), override);
        decision = Optional.of(decided);
        context.progress().report("schema check: " + decided.summary());
        if (!decided.proceeds()) {
            throw new SchemaRefusedException(decided.summary() + "; nothing was changed");
        }
        if (decided instanceof SchemaDecision.Overridden overridden) {
            if (!request.dryRun()) {
                Audit.append(context, AuditAction.OVERRIDE, request.record().targetKey(), from.orElse(null), build,
                        overridden.override().reason(), decided.summary(), request.record());
            }
        } else if (override.isPresent()) {
            context.progress().report("the schema override is not needed: the check passed on its own");
        }
    }

    /** What the record says its build needs of the schema, or null when it says nothing. */
    static SchemaRequirement requirement(DeploymentRecord record) {
        return record.safety().schemaJson().map(SchemaJson::requirement).orElse(null);
    }

    /** The decision, once checked. */
    Optional<SchemaDecision> decision() {
        return decision;
    }
}
