package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.jenkins.config.RecoveryHooks;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.User;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * "Roll back to this build": its page shows what would change (live versus this build's record) and a
 * confirm form; the form's POST claims the target and queues the restore as a {@link RestoreTask}, then
 * redirects to the restore's progress page. {@link RollbackActionFactory} adds it to builds with a record;
 * only users with {@link RollbackPermission#ROLLBACK} see its link, and everyone else gets 403 on its page and
 * its POST (checked by {@link #getTarget()} for every URL below it, and again first in the POST).
 */
public final class RollbackToBuildAction implements Action, StaplerProxy {

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
        return RestorePreview.of(record.getBuild(), run.getParent());
    }

    /** Whether the page offers "also run the point-in-time recovery command" (a command is configured for the target). */
    public boolean isRecoveryConfigured() {
        return RecoveryHooks.configured(record.getTarget());
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
        // the recovery checkbox is the clicking user's confirmation: refused without a reason or a command, before anything
        String recoverReason = null;
        if (req.getParameter("recover") != null) {
            recoverReason = req.getParameter("recoverReason");
            String refusal = recoverReason == null || recoverReason.isBlank()
                    ? Messages.RollbackToBuildAction_RecoverReasonRequired()
                    : RecoveryHooks.configured(record.getTarget()) ? null
                    : Messages.RollbackToBuildAction_NoRecoveryCommand(record.getTarget());
            if (refusal != null) {
                rsp.setStatus(400);
                rsp.setContentType("text/plain;charset=UTF-8");
                rsp.getWriter().println(refusal);
                return;
            }
        }
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
        RestoreWork.overrideSchema(restore, req.getParameter("overrideSchema"));
        if (recoverReason != null) {
            RestoreWork.recover(restore, recoverReason);
        }
        if (Jenkins.get().getQueue().schedule2(new RestoreTask(restore), 0).isRefused()) {
            RestoreWork.cancelledInQueue(restore);
        }
        rsp.sendRedirect2(req.getContextPath() + "/" + DeploymentsAction.restoreUrl(restore));
    }

    /** Stapler: every page and web method below this action first needs the Rollback permission (403). */
    @Override
    public Object getTarget() {
        run.checkPermission(RollbackPermission.ROLLBACK);
        return this;
    }

    @Override
    public String getIconFileName() {
        return RollbackPermission.allowed(run) ? "symbol-arrow-undo-outline plugin-ionicons-api" : null;
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
