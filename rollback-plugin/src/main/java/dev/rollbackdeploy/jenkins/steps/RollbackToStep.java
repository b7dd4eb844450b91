package dev.rollbackdeploy.jenkins.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.Serializable;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code rollbackTo 'shop#41'} or {@code rollbackTo build: 'lastPromoted', target: 'shop-vms'}: puts a
 * recorded build back exactly through the front door's restore; no gates (what was recorded was
 * already judged). Restoring what is live writes nothing. The target's configured kill switch turns its flags
 * off first (or instead of moving traffic); {@code recover: 'reason'} also runs its recovery command. The restore
 * is recorded as the running build when that build has no record yet. Returns
 * {@code [status:, build:, writes:, actions:, flags:, recovery:, recorded:]} (and {@code schemaCheck:}).
 */
public final class RollbackToStep extends Step implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The selector for the newest promoted build of {@link #getTarget()}. */
    public static final String LAST_PROMOTED = "lastPromoted";

    private final String build;
    private String target;
    private boolean checkDigests;
    private String overrideSchema;
    private String recover;
    private String recoverTo;

    @DataBoundConstructor
    public RollbackToStep(String build) {
        this.build = Util.fixEmptyAndTrim(build);
    }

    public String getBuild() {
        return build;
    }

    public String getTarget() {
        return target;
    }

    /** The target whose newest promoted build {@code lastPromoted} means. */
    @DataBoundSetter
    public void setTarget(String target) {
        this.target = Util.fixEmptyAndTrim(target);
    }

    public boolean isCheckDigests() {
        return checkDigests;
    }

    /** Ask the image registries first whether every recorded digest still exists (anonymous pulls). */
    @DataBoundSetter
    public void setCheckDigests(boolean checkDigests) {
        this.checkDigests = checkDigests;
    }

    public String getOverrideSchema() {
        return overrideSchema;
    }

    /**
     * Restore although the schema check refuses (a contract migration since the build): why the build is
     * safe on the live schema, at least 10 characters; audited as OVERRIDE (docs/safety.md).
     */
    @DataBoundSetter
    public void setOverrideSchema(String overrideSchema) {
        this.overrideSchema = Util.fixEmptyAndTrim(overrideSchema);
    }

    public String getRecover() {
        return recover;
    }

    /**
     * Run the target's configured point-in-time-recovery command as part of this restore, for this reason: the explicit
     * confirmation the command needs (put an {@code input} step before it). Audited as RECOVERY (docs/safety.md).
     */
    @DataBoundSetter
    public void setRecover(String recover) {
        this.recover = Util.fixEmptyAndTrim(recover);
    }

    public String getRecoverTo() {
        return recoverTo;
    }

    /** The time to recover the data to, ISO-8601 ({@code 2026-12-04T10:00:00Z}): the command's {@code ROLLBACK_RECOVER_TO}. */
    @DataBoundSetter
    public void setRecoverTo(String recoverTo) {
        this.recoverTo = Util.fixEmptyAndTrim(recoverTo);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new RollbackToExecution(context, this);
    }

    @Extension
    @Symbol("rollbackTo")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "rollbackTo";
        }

        @Override
        public String getDisplayName() {
            return Messages.RollbackToStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
