package dev.rollbackdeploy.jenkins.steps;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code canaryDeploy target: 'shop-vms', prometheus: 'prod', steps: '10, 25, 50, 100'}: a canary (or
 * blue-green) rollout on a configured HAProxy target with its gates, recorded in the controller's
 * record store. Returns {@code [status:, reason:, build:, previous:]}; a rollback fails the build with
 * the gate's reason. Needs no node: it holds no executor while it waits.
 */
public final class CanaryDeployStep extends GatedStep {

    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public CanaryDeployStep(String target, String prometheus) {
        super(target, prometheus);
    }

    private String schemaVersion;

    public String getSchemaVersion() {
        return schemaVersion;
    }

    /**
     * The schema version this build runs with (e.g. {@code 3} or {@code 2.1.0}), recorded for the schema check
     * before later rollbacks; by default read from the target's schema datasource when one is configured.
     */
    @DataBoundSetter
    public void setSchemaVersion(String schemaVersion) {
        this.schemaVersion = hudson.Util.fixEmptyAndTrim(schemaVersion);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new CanaryDeployExecution(context, this);
    }

    @Extension
    @Symbol("canaryDeploy")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "canaryDeploy";
        }

        @Override
        public String getDisplayName() {
            return Messages.CanaryDeployStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
