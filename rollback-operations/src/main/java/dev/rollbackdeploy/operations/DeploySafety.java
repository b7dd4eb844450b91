package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordSafety;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaRequirement;
import dev.rollbackdeploy.schema.SchemaUnavailableException;
import dev.rollbackdeploy.traffic.TrafficGuard;
import dev.rollbackdeploy.traffic.TrafficRouter;
import java.util.Optional;

/**
 * What a deploy does for data safety (docs/safety.md), kept out of {@link Deployment} so it stays one
 * call there: the schema the build runs with goes into its record (declared, or read from the
 * datasource's history table when the deploy is recorded), and the release's kill switch turns its
 * flags off before, or instead of, putting traffic back on stable ({@link #trafficGuard}), its flag states
 * going into the record and what it did into the outcome ({@link #settle}) and the audit evidence.
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

    /** The release's kill switch, when it has one (its mode, what it did); a restore's too ({@code RestoreRequest.withKillSwitch}). */
    public Optional<FlagSwitch> killSwitch() {
        return flags;
    }

    /** What a rollout asks just before traffic goes back to stable: the kill switch, or {@link TrafficGuard#NONE}. */
    public TrafficGuard trafficGuard(Progress progress) {
        return flags.map(f -> f.guard(progress)).orElse(TrafficGuard.NONE);
    }

    /** A VM rollout's router with the kill switch asked before every "no canary" write ({@link KillSwitchRouter}). */
    public TrafficRouter guard(TrafficRouter router, Progress progress) {
        return flags.<TrafficRouter>map(f -> new KillSwitchRouter(router, f.guard(progress))).orElse(router);
    }

    /** Whether the kill switch turned the flags off in place of moving traffic: the canary still has its share. */
    public boolean replacedTraffic() {
        return flags.map(FlagSwitch::replacedTraffic).orElse(false);
    }

    /**
     * The outcome to record. When the kill switch replaced moving traffic, the rollout did not go back to
     * stable whatever the engine's phase says: it ends ABORTED (FAILED stays FAILED), the reason saying the
     * flags went off instead and what the canary still carries ({@code trafficNow}, read back from the target).
     * When the flags could not be turned off, the reason says so too (traffic was moved back).
     */
    public RolloutState settle(RolloutState end, String trafficNow) {
        if (flags.isEmpty() || flags.get().summary().isEmpty()) {
            return end;
        }
        FlagSwitch f = flags.get();
        String said = end.abortReason() == null ? end.phase().name().toLowerCase(java.util.Locale.ROOT) : end.abortReason();
        if (!f.replacedTraffic()) {
            return f.failure().isEmpty() ? end : with(end, end.phase(), said + "; " + f.summary().get(), end.trafficOnStable());
        }
        Phase phase = end.phase() == Phase.FAILED ? Phase.FAILED : Phase.ABORTED;
        return with(end, phase, said + "; the kill switch turned the flags off INSTEAD of moving traffic ("
                + f.summary().get() + "): " + trafficNow, false);
    }

    private static RolloutState with(RolloutState end, Phase phase, String reason, boolean onStable) {
        return new RolloutState(phase, end.stepIndex(), end.canary(), end.stepStartedAt(), end.firstAbortAt(), reason,
                end.failure(), onStable, end.promotedAt(), end.previousScaledDown());
    }

    /**
     * The audit entry's evidence: what the kill switch did, then the last gate look's summary (in that
     * order: an entry keeps the first 400 characters, and a gate's reason can be long).
     */
    public String evidence(String gate) {
        Optional<String> kill = flags.flatMap(FlagSwitch::summary);
        if (kill.isEmpty()) {
            return gate;
        }
        return gate == null ? kill.get() : kill.get() + "; gate: " + gate;
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
