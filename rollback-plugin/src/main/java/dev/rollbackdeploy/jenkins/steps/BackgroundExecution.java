package dev.rollbackdeploy.jenkins.steps;

import hudson.AbortException;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step whose one piece of work (a restore, a gate, a drill) runs on a pooled thread: {@link #start()}
 * returns at once and the CPS VM thread never waits on the network. Unlike
 * {@code SynchronousNonBlockingStepExecution}, a controller restart does not fail the step: each
 * subclass says in {@link #resumable()} whether its work may simply run again (a restore is
 * idempotent; a read-only gate may look again) or must fail with a reason.
 */
abstract class BackgroundExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(BackgroundExecution.class.getName());

    private volatile String status = "starting";
    private transient volatile Future<?> task;

    BackgroundExecution(StepContext context) {
        super(context);
    }

    /** The work, on a pooled thread; its result is the step's return value. */
    abstract Object run(Run<?, ?> run, TaskListener listener) throws Exception;

    /** Why the work may not run again after a restart, or null when it may. */
    abstract String notResumableBecause();

    abstract String stepName();

    @Override
    public final boolean start() {
        task = Computer.threadPoolForRemoting.submit(this::work);
        return false;
    }

    @Override
    public final void onResume() {
        String reason = notResumableBecause();
        if (reason != null) {
            getContext().onFailure(new AbortException(stepName() + " was interrupted by a controller restart: " + reason));
            return;
        }
        task = Computer.threadPoolForRemoting.submit(this::work);
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
        getContext().onFailure(cause);
    }

    @Override
    public String getStatus() {
        return status;
    }

    void status(String value) {
        status = value;
    }

    private void work() {
        try {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            status = "running";
            Object result = run(run, listener);
            status = "done";
            getContext().onSuccess(result);
        } catch (InterruptedException e) {
            getContext().onFailure(e);
        } catch (AbortException e) {
            status = "failed: " + e.getMessage();
            getContext().onFailure(e);
        } catch (dev.rollbackdeploy.operations.OperationException e) {
            status = "failed: " + e.getMessage();
            getContext().onFailure(new AbortException(stepName() + ": " + e.getMessage()));
        } catch (Exception | LinkageError e) {
            LOGGER.log(Level.WARNING, stepName() + " failed", e);
            getContext().onFailure(e);
        }
    }
}
