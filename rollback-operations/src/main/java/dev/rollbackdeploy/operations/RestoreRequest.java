package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.database.RecoveryHook;
import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import dev.rollbackdeploy.schema.SchemaPreflight;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a shell asks of one restore ({@link RestoreSequence}): the recorded build, the live target it
 * opened for that record, and how to go about it. Built with {@link #of} and the {@code with…} methods.
 *
 * @param record         the build to put back, as recorded ({@link Restore#record})
 * @param cluster        the live target the record names, opened by the shell
 * @param where          how to name the target in messages ("HAProxy backend app on [...]")
 * @param registry       where to check the recorded digests first, or empty to skip (said in the log)
 * @param options        what the plan may do beyond updates (prune, recreate)
 * @param readyTimeout   how long one workload may take to become ready
 * @param why            who asked and through what ("rollback --to shop#41 by alice"): the audit entry's reason
 * @param schema         the live database's schema check, when a datasource is configured for the target
 * @param schemaOverride a person's reason to go on although the schema check refuses (at least 10 characters)
 * @param dryRun         plan and stop: no lock, no write
 * @param killSwitch     the flags of the release being rolled back, turned off before the first write (or
 *                       instead of any write, in mode INSTEAD_OF_TRAFFIC)
 * @param recovery       a point-in-time recovery to run after the lock and before the schema check
 * @param recordAs       the build under which to save a record of this restore
 * @param recordUrl      that build's page (a Jenkins build); empty: the restored build's page, which the CLI uses
 */
public record RestoreRequest(DeploymentRecord record, Cluster cluster, String where, Optional<Registry> registry,
        RestoreOptions options, Duration readyTimeout, String why, Optional<SchemaPreflight> schema,
        Optional<String> schemaOverride, boolean dryRun, Optional<FlagSwitch> killSwitch, Optional<Recovery> recovery,
        Optional<BuildRef> recordAs, Optional<URI> recordUrl) {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);

    /**
     * A point-in-time recovery a person confirmed for this restore: nothing runs without the confirmation.
     *
     * @param environment extra variables for the command (e.g. {@code ROLLBACK_RECOVER_TO})
     */
    public record Recovery(RecoveryHook hook, RecoveryConfirmation confirmation, Map<String, String> environment) {
        public Recovery {
            if (hook == null || confirmation == null || environment == null) {
                throw new IllegalArgumentException("a recovery needs a hook, a person's confirmation and an environment "
                        + "(empty when none), got " + hook + ", " + confirmation + ", " + environment);
            }
            environment = Map.copyOf(environment);
        }

        /**
         * The recovery as every shell sets it up: the hook appends to the audit log beside the context's store
         * and keeps each run's output in {@code recovery/} beside it ({@code .rollback/recovery/} for the CLI).
         */
        public static Recovery beside(OperationContext context, RecoveryCommand command, RecoveryConfirmation confirmation,
                Map<String, String> environment) {
            Path store = context.store().toAbsolutePath();
            return new Recovery(new RecoveryHook(command, AuditLog.besideStore(store), context.clock(),
                    store.getParent().resolve("recovery")), confirmation, environment);
        }
    }

    public RestoreRequest {
        if (record == null || cluster == null || where == null || registry == null || options == null || why == null
                || schema == null || schemaOverride == null || killSwitch == null || recovery == null || recordAs == null
                || recordUrl == null) {
            throw new IllegalArgumentException("a restore needs a record, a cluster, a description, a registry choice, "
                    + "options, a reason, schema settings, a kill switch, a recovery and a record choice (empty when none), "
                    + "got null");
        }
        if (readyTimeout == null || readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("ready timeout must be positive, got " + readyTimeout);
        }
    }

    /** Safe options, digests not checked, 5 minutes per workload, no schema check, not a dry run, no extras. */
    public static RestoreRequest of(DeploymentRecord record, Cluster cluster, String where, String why) {
        return new RestoreRequest(record, cluster, where, Optional.empty(), RestoreOptions.SAFE, DEFAULT_READY_TIMEOUT, why,
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public RestoreRequest withRegistry(Optional<Registry> value) {
        return new RestoreRequest(record, cluster, where, value, options, readyTimeout, why, schema, schemaOverride, dryRun,
                killSwitch, recovery, recordAs, recordUrl);
    }

    public RestoreRequest withOptions(RestoreOptions value) {
        return new RestoreRequest(record, cluster, where, registry, value, readyTimeout, why, schema, schemaOverride, dryRun,
                killSwitch, recovery, recordAs, recordUrl);
    }

    public RestoreRequest withReadyTimeout(Duration value) {
        return new RestoreRequest(record, cluster, where, registry, options, value, why, schema, schemaOverride, dryRun,
                killSwitch, recovery, recordAs, recordUrl);
    }

    public RestoreRequest withSchema(Optional<SchemaPreflight> value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, value, schemaOverride, dryRun,
                killSwitch, recovery, recordAs, recordUrl);
    }

    /** A blank reason counts as no override. */
    public RestoreRequest withSchemaOverride(String reason) {
        Optional<String> value = reason == null || reason.isBlank() ? Optional.empty() : Optional.of(reason.strip());
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, value, dryRun,
                killSwitch, recovery, recordAs, recordUrl);
    }

    public RestoreRequest withDryRun(boolean value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, schemaOverride, value,
                killSwitch, recovery, recordAs, recordUrl);
    }

    /** The rolled-back release's kill switch: checked at the door, turned off after the lock and the plan. */
    public RestoreRequest withKillSwitch(Optional<FlagSwitch> value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, schemaOverride, dryRun,
                value, recovery, recordAs, recordUrl);
    }

    /** A confirmed point-in-time recovery, run after the lock and before the schema check. */
    public RestoreRequest withRecovery(Optional<Recovery> value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, schemaOverride, dryRun,
                killSwitch, value, recordAs, recordUrl);
    }

    /** Save a record of this restore under that build (refused at the door when it already has one). */
    public RestoreRequest withRecordAs(Optional<BuildRef> value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, schemaOverride, dryRun,
                killSwitch, recovery, value, recordUrl);
    }

    /** The page of the {@code recordAs} build, e.g. the Jenkins build that ran the restore. */
    public RestoreRequest withRecordUrl(Optional<URI> value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, schemaOverride, dryRun,
                killSwitch, recovery, recordAs, value);
    }
}
