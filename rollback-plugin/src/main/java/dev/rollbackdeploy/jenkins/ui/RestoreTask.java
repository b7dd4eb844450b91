package dev.rollbackdeploy.jenkins.ui;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.QueueListener;
import hudson.model.queue.SubTask;

/**
 * A restore as a flyweight queue task: it shows in the build queue and the executors widget under its
 * own name, an administrator or anyone who may cancel the job's builds can cancel it there, and it runs
 * on a one-off executor (no executor slot taken, like a Pipeline's flyweight). It is transient: a restore
 * queued when the controller stops is not run after a restart (the claim and the click are gone too).
 */
public final class RestoreTask implements Queue.FlyweightTask, Queue.TransientTask {

    private final RestoreRun run;

    RestoreTask(RestoreRun run) {
        this.run = run;
    }

    RestoreRun restore() {
        return run;
    }

    @Override
    public String getName() {
        return run.getDisplayName();
    }

    @Override
    public String getFullDisplayName() {
        return run.getDisplayName();
    }

    @Override
    public String getDisplayName() {
        return run.getDisplayName();
    }

    @Override
    public String getUrl() {
        return DeploymentsAction.restoreUrl(run);
    }

    @Override
    public boolean hasAbortPermission() {
        return run.getJob().hasPermission(Item.CANCEL);
    }

    @Override
    public void checkAbortPermission() {
        run.getJob().checkPermission(Item.CANCEL);
    }

    @Override
    public boolean hasReadPermission() {
        return run.getJob().hasPermission(Item.READ);
    }

    @Override
    public long getEstimatedDuration() {
        return -1;
    }

    @Override
    public Queue.Executable createExecutable() {
        return new Queue.Executable() {
            @Override
            public SubTask getParent() {
                return RestoreTask.this;
            }

            @Override
            public void run() {
                RestoreWork.run(run);
            }

            @Override
            public String toString() {
                return run.getDisplayName();
            }
        };
    }

    /** A restore cancelled while queued never runs: release its claim and say so. */
    @Extension
    public static final class Cancelled extends QueueListener {
        @Override
        public void onLeft(Queue.LeftItem item) {
            if (item.isCancelled() && item.task instanceof RestoreTask task) {
                RestoreWork.cancelledInQueue(task.run);
            }
        }
    }
}
