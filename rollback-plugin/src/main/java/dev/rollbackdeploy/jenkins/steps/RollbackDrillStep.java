package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.ui.DeploymentRecordAction;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.Drill;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.StagingDrill;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code rollbackDrill target: 'staging-vms', prometheus: 'staging', steps: '10, 50, 100'}: the front
 * door's staging drill — a deliberately faulty canary must be caught within the SLO, the split left
 * must equal the previous record, and no lock may be left. Fails the build with what went wrong.
 */
public final class RollbackDrillStep extends GatedStep {

    private static final long serialVersionUID = 1L;

    private int sloSeconds = 120;

    @DataBoundConstructor
    public RollbackDrillStep(String target, String prometheus) {
        super(target, prometheus);
    }

    public int getSloSeconds() {
        return sloSeconds;
    }

    /** How long the gate may take from the first canary traffic to its verdict. */
    @DataBoundSetter
    public void setSloSeconds(int sloSeconds) {
        this.sloSeconds = sloSeconds;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    static final class Execution extends BackgroundExecution {

        private static final long serialVersionUID = 1L;
        private final RollbackDrillStep step;

        Execution(StepContext context, RollbackDrillStep step) {
            super(context);
            this.step = step;
        }

        @Override
        Object run(Run<?, ?> run, TaskListener listener) throws Exception {
            if (step.getSloSeconds() < 1) {
                throw new AbortException("rollbackDrill: sloSeconds must be 1 or more, got " + step.getSloSeconds());
            }
            DeploymentSpec spec = StepSupport.spec(run, step, "rollbackDrill");
            OperationContext logged = StepSupport.context(run, listener, "rollbackDrill");
            // the last progress line is the step's status in the Pipeline's thread dump
            OperationContext context = new OperationContext(logged.store(), logged.locks(), logged.lockWait(), logged.actor(),
                    logged.clock(), line -> {
                        logged.progress().report(line);
                        status("drill: " + line);
                    });
            StagingDrill.Verdict verdict = Drill.staging(spec, context, Duration.ofSeconds(step.getSloSeconds()));
            Map<String, Object> result = new LinkedHashMap<>(verdict.figures());
            verdict.figures().forEach((k, v) -> listener.getLogger().println("[rollbackDrill] " + k + ": " + v));
            // the drill's run is recorded like a deployment: on the build page with its gate evidence
            DeploymentRecordAction.attachRecordToRun(run, context.records().load(spec.build()));
            listener.getLogger().println("[rollbackDrill] recorded " + spec.build() + " (faulty candidate "
                    + verdict.run().state().phase() + ") on the build page");
            if (!verdict.passed()) {
                throw new AbortException("rollbackDrill failed: " + String.join("; ", verdict.problems()));
            }
            return result;
        }

        @Override
        String notResumableBecause() {
            return "a drill moves staging traffic and must be watched from its start; run it again";
        }

        @Override
        String stepName() {
            return "rollbackDrill";
        }
    }

    @Extension
    @Symbol("rollbackDrill")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "rollbackDrill";
        }

        @Override
        public String getDisplayName() {
            return Messages.RollbackDrillStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
