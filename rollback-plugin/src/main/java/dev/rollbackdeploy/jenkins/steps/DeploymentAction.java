package dev.rollbackdeploy.jenkins.steps;

import hudson.model.Run;
import jenkins.model.RunAction2;

/**
 * What a deploying step did in this build, on the build page and in {@code build.xml}: plain final
 * fields (XStream cannot read records back), no secret. The deployment record itself stays in the
 * controller's record store, where {@code rollbackTo} finds it.
 */
public final class DeploymentAction implements RunAction2 {

    private final String step;
    private final String build;
    private final String target;
    private final String status;
    private final String reason;
    private final int looks;
    private final String recordHash;
    private transient Run<?, ?> run;

    public DeploymentAction(String step, String build, String target, String status, String reason, int looks,
            String recordHash) {
        this.step = step;
        this.build = build;
        this.target = target;
        this.status = status;
        this.reason = reason;
        this.looks = looks;
        this.recordHash = recordHash;
    }

    public String getStep() { return step; }
    public String getBuild() { return build; }
    public String getTarget() { return target; }
    public String getStatus() { return status; }
    public String getReason() { return reason; }
    public int getLooks() { return looks; }
    public String getRecordHash() { return recordHash; }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @Override
    public String getIconFileName() {
        return "symbol-refresh";
    }

    @Override
    public String getDisplayName() {
        return Messages.DeploymentAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "rollback-deploy-" + step;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentAction a && java.util.Objects.equals(step, a.step) && java.util.Objects.equals(build, a.build)
                && java.util.Objects.equals(target, a.target) && java.util.Objects.equals(status, a.status)
                && java.util.Objects.equals(reason, a.reason) && looks == a.looks
                && java.util.Objects.equals(recordHash, a.recordHash);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(step, build, target, status, reason, looks, recordHash);
    }
}
