package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.schema.SchemaPreflight;
import java.time.Duration;
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
 */
public record RestoreRequest(DeploymentRecord record, Cluster cluster, String where, Optional<Registry> registry,
        RestoreOptions options, Duration readyTimeout, String why, Optional<SchemaPreflight> schema,
        Optional<String> schemaOverride, boolean dryRun) {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);

    public RestoreRequest {
        if (record == null || cluster == null || where == null || registry == null || options == null || why == null
                || schema == null || schemaOverride == null) {
            throw new IllegalArgumentException("a restore needs a record, a cluster, a description, a registry choice, "
                    + "options, a reason and schema settings (empty when none), got null");
        }
        if (readyTimeout == null || readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("ready timeout must be positive, got " + readyTimeout);
        }
    }

    /** Safe options, digests not checked, 5 minutes per workload, no schema check, not a dry run. */
    public static RestoreRequest of(DeploymentRecord record, Cluster cluster, String where, String why) {
        return new RestoreRequest(record, cluster, where, Optional.empty(), RestoreOptions.SAFE, DEFAULT_READY_TIMEOUT, why,
                Optional.empty(), Optional.empty(), false);
    }

    public RestoreRequest withRegistry(Optional<Registry> value) {
        return new RestoreRequest(record, cluster, where, value, options, readyTimeout, why, schema, schemaOverride, dryRun);
    }

    public RestoreRequest withOptions(RestoreOptions value) {
        return new RestoreRequest(record, cluster, where, registry, value, readyTimeout, why, schema, schemaOverride, dryRun);
    }

    public RestoreRequest withReadyTimeout(Duration value) {
        return new RestoreRequest(record, cluster, where, registry, options, value, why, schema, schemaOverride, dryRun);
    }

    public RestoreRequest withSchema(Optional<SchemaPreflight> value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, value, schemaOverride, dryRun);
    }

    /** A blank reason counts as no override. */
    public RestoreRequest withSchemaOverride(String reason) {
        Optional<String> value = reason == null || reason.isBlank() ? Optional.empty() : Optional.of(reason.strip());
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, value, dryRun);
    }

    public RestoreRequest withDryRun(boolean value) {
        return new RestoreRequest(record, cluster, where, registry, options, readyTimeout, why, schema, schemaOverride, value);
    }
}
