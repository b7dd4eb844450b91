package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.lock.LockInfo;
import dev.rollbackdeploy.operations.OperationContext;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.CauseOfBlockage;
import hudson.model.queue.QueueListener;
import java.io.IOException;
import java.util.Optional;
import hudson.model.queue.SubTask;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * A restore as a flyweight queue task: it shows in the build queue and the executors widget under its
 * own name, an administrator or anyone who may cancel the job's builds can cancel it there, and it runs
 * on a one-off executor (no executor slot taken, like a Pipeline's flyweight). It is transient: a restore
 * queued when the controller stops is not run after a restart (the claim and the click are gone too).
 * While someone else (the CLI, a Pipeline step) holds the target's lock, it waits in the queue saying who.
 * An {@link ExportedBean}: the queue's REST API ({@code queue/api/json}) exports every item's task, and
 * answered 500 for the whole queue while a restore waited in it without this.
 */
@ExportedBean
public final class RestoreTask implements Queue.FlyweightTask, Queue.TransientTask, AccessControlled {

    private final RestoreRun run;

    RestoreTask(RestoreRun run) {
        this.run = run;
    }

    RestoreRun restore() {
        return run;
    }

    @Exported
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

    @Exported
    @Override
    public String getUrl() {
        return DeploymentsAction.restoreUrl(run);
    }

    /** The job's: whoever may read the job sees the restore in the queue (non-AccessControlled tasks are hidden). */
    @Override
    public ACL getACL() {
        return run.getJob().getACL();
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

    /** Waits in the queue, naming the holder, while another writer holds the target's lock (a dead one's counts as free). */
    @Override
    public CauseOfBlockage getCauseOfBlockage() {
        try {
            Optional<LockInfo> holder = new FileTargetLock(OperationContext.locksNextTo(ControllerRecords.storeDir()))
                    .holder(run.getTarget());
            return holder.map(h -> CauseOfBlockage.fromMessage(Messages._RestoreTask_Locked(run.getTarget(), h.holder(),
                    h.since()))).orElse(null);
        } catch (IOException e) {
            return null; // the restore itself then reports the unusable lock directory
        }
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
