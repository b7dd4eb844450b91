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
