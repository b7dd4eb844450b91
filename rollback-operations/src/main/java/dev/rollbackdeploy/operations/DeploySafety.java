package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordSafety;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaRequirement;
import dev.rollbackdeploy.schema.SchemaUnavailableException;
import dev.rollbackdeploy.traffic.TrafficRouter;
import java.util.Optional;

/**
 * What a deploy does for data safety (docs/safety.md), kept out of {@link Deployment} so it stays one
 * call there: the schema the build runs with goes into its record (declared, or read from the
 * datasource's history table when the deploy is recorded), and the release's kill switch turns its
 * flags off before traffic goes back to stable ({@link #guard}), its flag states going into the record.
 */
public final class DeploySafety {

    /** A deploy with no schema and no flags: records exactly as before. */
    public static final DeploySafety NONE = new DeploySafety(Optional.empty(), Optional.empty(), Optional.empty());

    private final Optional<SchemaRequirement> declared;
    private final Optional<Datasource> datasource;
    private final Optional<FlagSwitch> flags;
    private Optional<RecoveryCommand> recovery = Optional.empty();

    private DeploySafety(Optional<SchemaRequirement> declared, Optional<Datasource> datasource, Optional<FlagSwitch> flags) {
        this.declared = declared;
        this.datasource = datasource;
        this.flags = flags;
    }

    /** These settings with the spec's point-in-time-recovery command (a restore runs it only when a person confirms). */
    public DeploySafety withRecovery(Optional<RecoveryCommand> command) {
        DeploySafety copy = new DeploySafety(declared, datasource, flags);
        copy.recovery = command;
        return copy;
    }

    /** The release's kill switch, for a restore ({@code RestoreRequest.withKillSwitch}). */
    public Optional<FlagSwitch> killSwitch() {
        return flags;
    }

    /** The spec's point-in-time-recovery command, when it has one. */
    public Optional<RecoveryCommand> recovery() {
        return recovery;
    }

    /**
     * @param declared   the schema declared in the spec or step (wins over reading the datasource)
     * @param datasource where to read the live schema version when none is declared
     * @param flags      the release's kill switch
     */
    public static DeploySafety of(Optional<SchemaRequirement> declared, Optional<Datasource> datasource,
            Optional<FlagSwitch> flags) {
        return new DeploySafety(declared, datasource, flags);
    }

    /**
     * The checks at the door, before any lock or write: every kill-switch flag exists.
     *
     * @throws OperationException INVALID naming a flag that does not exist, INFRASTRUCTURE when the flag store is down
     */
    public void check() throws OperationException, InterruptedException {
        if (flags.isPresent()) {
            flags.get().check();
        }
    }

    /** Whether this deploy has a kill switch (flags turned off before traffic goes back to stable). */
    public boolean hasKillSwitch() {
        return flags.isPresent();
    }

    /** The router the rollout moves traffic through: with a kill switch, flags go off before traffic goes back. */
    public TrafficRouter guard(TrafficRouter router, Progress progress) {
        return flags.<TrafficRouter>map(f -> new KillSwitchRouter(router, f, progress)).orElse(router);
    }

    /**
     * The record with this deploy's facts: schema and flags. A datasource that cannot be read is said and
     * the record goes without a schema (a later rollback to this build is then refused until overridden).
     */
    public DeploymentRecord facts(DeploymentRecord record, Progress progress) throws InterruptedException {
        RecordSafety facts = record.safety();
        Optional<SchemaRequirement> schema = schema(progress);
        if (schema.isPresent()) {
            facts = facts.withSchema(SchemaJson.requirement(schema.get()));
        }
        if (flags.isPresent()) {
            facts = facts.withFlags(flags.get().recordForm(progress));
        }
        return facts.isEmpty() ? record : record.withSafety(facts);
    }

    /** The requirement to record: the declared one, else the live version from the datasource, else none. */
    public Optional<SchemaRequirement> schema(Progress progress) throws InterruptedException {
        if (declared.isPresent() || datasource.isEmpty()) {
            return declared;
        }
        try {
            SchemaRequirement read = datasource.get().preflight().current(datasource.get().source());
            progress.report("schema version " + read.ranWith() + " read from " + datasource.get());
            return Optional.of(read);
        } catch (SchemaUnavailableException e) {
            progress.report("WARNING: the schema version is NOT recorded: " + e.getMessage()
                    + "; a rollback to this build will need an override");
            return Optional.empty();
        }
    }
}
