package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.rollout.RolloutState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The target's half of the one "deploy" ({@link Deployment}): HAProxy VMs ({@link VmDeploy}) or
 * Kubernetes ({@link KubernetesDeploy}). The deployment keeps the lock, the store, the audit and the
 * order of things; this does what only the target knows: check it, read what is live, run a round,
 * put traffic on stable, and say what the record holds.
 */
interface TargetDeploy extends AutoCloseable {

    /** After a round: the state to keep and when to call again (null: the rollout is over). */
    record Round(DeployState state, Instant callAgainAt) {
    }

    /**
     * Reads only, before the target's lock: what a spec file cannot say (a Kubernetes namespace exists).
     *
     * @throws OperationException INVALID (named field and value) or INFRASTRUCTURE; nothing was changed
     */
    void checkBeforeLock() throws OperationException, InterruptedException;

    /**
     * Under the lock, before the first write: the target is set up as the spec says (load balancers;
     * the Kubernetes lease taken).
     *
     * @throws OperationException INVALID, LOCKED or INFRASTRUCTURE; nothing was changed
     */
    void validate() throws OperationException, InterruptedException;

    /** Whether what is live now is exactly the record's release (a build already recorded: nothing to do). */
    boolean liveEquals(DeploymentRecord record) throws IOException, InterruptedException;

    /** Live against a record. */
    DriftReport drift(DeploymentRecord previous) throws IOException, InterruptedException;

    /**
     * Under the lock, before the first write, reads only: what a person should know before this rollout moves
     * traffic (empty: nothing). VM targets: the canary servers already carry traffic.
     *
     * @throws IOException the target could not be read
     */
    default Optional<String> warningBeforeStart() throws IOException, InterruptedException {
        return Optional.empty();
    }

    /** The state a deployment starts from. */
    DeployState start(BuildRef build, Instant startedAt, BuildRef previous, String alreadyLive);

    /**
     * One bounded round.
     *
     * @throws IOException        traffic could not be put back on stable (the split is unknown), or the target failed
     * @throws OperationException LOCKED: a resumed run finds the target's lease taken by someone else
     */
    Round advance(DeployState state, Instant now) throws IOException, InterruptedException, OperationException;

    /**
     * All new requests on stable, confirmed (a few attempts); safe while a round runs on another thread.
     *
     * @return what was done, for people
     * @throws IOException the split is unknown
     */
    String stopOnStable() throws IOException, InterruptedException;

    /**
     * What the new version still carries now, read back from the target, for a person and the record's
     * reason when a kill switch left traffic where it was (e.g. "the canary still carries 25% of new requests").
     *
     * @throws IOException the target could not be read
     */
    String trafficNow() throws IOException, InterruptedException;

    /** The record of how it ended, in {@code end}; not saved yet. */
    DeploymentRecord record(DeployState state, RolloutState end, Instant finishedAt, String actor)
            throws IOException, InterruptedException;

    /** Where traffic goes back to, for a person reading a stop message. */
    String stableName();

    @Override
    void close();
}
