package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.operations.DeploySafety;
import dev.rollbackdeploy.operations.DeployState;
import dev.rollbackdeploy.operations.Deployment;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.OperationException;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs a deployment the way Jenkins' {@code sleep} step waits: {@link #start()} only schedules and
 * returns; each round ({@code Deployment.advance}) runs on a pooled thread, never on the CPS VM thread;
 * between rounds a transient timer waits for the front door's "call again at". The durable state is
 * the front door's {@link DeployState} as one JSON string, saved after every round, so after a
 * controller restart {@link #onResume()} rebuilds the deployment from the step's fields and continues.
 * {@link #stop} puts all traffic on stable before the step (and the build) ends.
 */
final class CanaryDeployExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryDeployExecution.class.getName());

    private final CanaryDeployStep step;
    /** {@link DeployState#encode()} after the last round; null before {@code begin()}. */
    private volatile String state;
    /** "step 3/5, weight 25%, gate error-rate: 4 looks, last Pass", for the Pipeline steps page. */
    private volatile String status = "starting";
    private volatile boolean done;
    private volatile boolean completed;

    private transient volatile ScheduledFuture<?> timer;
    private transient volatile Deployment deployment;
    private transient volatile int totalSteps;
    private transient volatile boolean stopping;

    CanaryDeployExecution(StepContext context, CanaryDeployStep step) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() throws Exception {
        // validates the whole spec (and finds the credential) before anything is locked or written; a
        // Kubernetes deploy first reads its manifests from the workspace (remoting I/O), so it validates in
        // its first round on a pooled thread, still before anything is locked or written
        if (!step.isKubernetes()) {
            deployment();
        }
        schedule(Instant.now());
        return false;
    }

    @Override
    public void onResume() {
        if (done) {
            return;
        }
        log("resumed after a controller restart; continuing " + (state == null ? "from the start" : status));
        schedule(state == null ? Instant.now() : DeployStateView.wakeAt(state));
    }

    @Override
    public void stop(Throwable cause) {
        stopping = true;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        Computer.threadPoolForRemoting.submit(() -> {
            if (state == null) {
                // begin() may be under way in a round: let it end (it writes nothing) so a state exists
                synchronized (this) {
                    stopAndFinish(cause);
                }
            } else {
                // a round may be waiting on a gate look: the front door's stop is safe beside it
                stopAndFinish(cause);
            }
        });
    }

    private void stopAndFinish(Throwable cause) {
        try {
            if (state != null && !completed) {
                Deployment.Finished finished = deployment().stop(DeployState.decode(state),
                        "stopped in Jenkins: " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
                log("stopped: " + finished.status() + " — " + finished.reason());
                RolloutActions.attach(run(), finished);
            }
        } catch (Exception e) {
            log("stopping failed: " + e.getMessage());
        } finally {
            done = true;
            closeDeployment();
            if (claimCompletion()) {
                getContext().onFailure(cause);
            }
        }
    }

    /** The step completes once, whoever comes first: the last round, a failure, or a stop. */
    private boolean claimCompletion() {
        synchronized (step) {
            if (completed) {
                return false;
            }
            completed = true;
            return true;
        }
    }

    @Override
    public String getStatus() {
        return done ? "finished: " + status : status;
    }

    private void schedule(Instant at) {
        long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
        timer = Timer.get().schedule(() -> Computer.threadPoolForRemoting.submit(this::round), delay, TimeUnit.MILLISECONDS);
    }

    /** One bounded round of the front door, then either finish or wait again. */
    private synchronized void round() {
        if (done || stopping) {
            return;
        }
        try {
            Deployment d = deployment();
            DeployState current = state == null ? d.begin() : DeployState.decode(state);
            Deployment.Round round = d.advance(current);
            state = round.state().encode();
            status = DeployStateView.status(round.state(), totalSteps);
            getContext().saveState();
            if (round.isFinished()) {
                finish(round.finished());
            } else if (!stopping) {
                schedule(round.callAgainAt());
            }
        } catch (OperationException | AbortException e) {
            fail(new AbortException("canaryDeploy: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        } catch (Exception | LinkageError e) {
            LOGGER.log(Level.WARNING, "canaryDeploy round failed", e);
            fail(e);
        }
    }

    private void finish(Deployment.Finished finished) throws Exception {
        done = true;
        closeDeployment();
        if (!claimCompletion()) {
            return;
        }
        RolloutActions.attach(run(), finished);
        String line = finished.status() + (finished.reason() == null ? "" : ": " + finished.reason());
        status = line;
        switch (finished.status()) {
            case PROMOTED, ALREADY_LIVE -> {
                log(line);
                getContext().onSuccess(RolloutActions.result(finished));
            }
            default -> getContext().onFailure(new AbortException("canaryDeploy " + line));
        }
    }

    private void fail(Throwable t) {
        done = true;
        closeDeployment();
        if (claimCompletion()) {
            getContext().onFailure(t);
        }
    }

    private Deployment deployment() throws Exception {
        Deployment d = deployment;
        if (d == null) {
            Run<?, ?> run = run();
            TaskListener listener = getContext().get(TaskListener.class);
            List<String> manifests = step.isKubernetes()
                    ? KubernetesDeployment.stage(run, getContext().get(FilePath.class), step.getManifests()) : List.of();
            DeploymentSpec spec = StepSupport.spec(run, step, "canaryDeploy", manifests);
            totalSteps = spec.rollout().steps().size();
            DeploySafety safety = StepSupport.safety(run, step.getSchemaVersion(), spec.target().key(),
                    step.isKillSwitch(), "canaryDeploy");
            d = Deployment.of(spec, StepSupport.context(run, listener, "canaryDeploy")).withSafety(safety);
            if (state == null) {
                StepSupport.describeKillSwitch(listener, "canaryDeploy", spec.target().key(), step.isKillSwitch());
            }
            deployment = d;
        }
        return d;
    }

    private void closeDeployment() {
        Deployment d = deployment;
        deployment = null;
        if (d != null) {
            d.close();
        }
    }

    private Run<?, ?> run() throws Exception {
        return getContext().get(Run.class);
    }

    private void log(String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println("[canaryDeploy] " + line);
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "no listener", e);
        }
    }
}
