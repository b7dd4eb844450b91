package dev.rollbackdeploy.jenkins.ui;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.User;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * "Roll back to this build": its page shows what would change (live versus this build's record) and a
 * confirm form; the form's POST claims the target and queues the restore as a {@link RestoreTask}, then
 * redirects to the restore's progress page. Offered by {@link RollbackActionFactory} only to users with
 * {@link RollbackPermission#ROLLBACK} on builds with a record; the POST checks that permission again first.
 */
public final class RollbackToBuildAction implements Action {

    private final Run<?, ?> run;
    private final DeploymentRecordAction record;

    RollbackToBuildAction(Run<?, ?> run, DeploymentRecordAction record) {
        this.run = run;
        this.record = record;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    public DeploymentRecordAction getRecord() {
        return record;
    }

    /** Computed once per page view: reads the live target, writes nothing. */
    public RestorePreview getPreview() throws InterruptedException {
        return RestorePreview.of(record.getBuild());
    }

    /** The restore already queued or running on this target, if any (the page says so instead of the button). */
    public boolean isTargetBusy() {
        return ActiveRestores.claimed(record.getTarget());
    }

    @RequirePOST
    public void doRestore(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(RollbackPermission.ROLLBACK);
        Job<?, ?> job = run.getParent();
        User user = User.current();
        String who = user == null ? Jenkins.getAuthentication2().getName() : user.getId();
        RestoreRun restore = new RestoreRun(UUID.randomUUID().toString().substring(0, 8), job, run.getNumber(),
                record.getBuild(), record.getTarget(), who, Clock.systemUTC());
        Optional<RestoreRun> holder = ActiveRestores.claim(restore);
        if (holder.isPresent()) {
            rsp.setStatus(409);
            rsp.setContentType("text/plain;charset=UTF-8");
            rsp.getWriter().println(Messages.RollbackToBuildAction_Busy(record.getTarget(), holder.get().getBuildRef(),
                    holder.get().getRequestedBy(), req.getContextPath() + "/" + DeploymentsAction.restoreUrl(holder.get())));
            return;
        }
        restore.log(Messages.RollbackToBuildAction_Requested(who, record.getBuild(), record.getTarget()));
        if (Jenkins.get().getQueue().schedule2(new RestoreTask(restore), 0).isRefused()) {
            RestoreWork.cancelledInQueue(restore);
        }
        rsp.sendRedirect2(req.getContextPath() + "/" + DeploymentsAction.restoreUrl(restore));
    }

    @Override
    public String getIconFileName() {
        return "symbol-arrow-undo-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return Messages.RollbackToBuildAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "rollback";
    }
}
