package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.GateCheck;
import dev.rollbackdeploy.operations.SpecBuilder;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code metricsGate target: 'shop-vms', prometheus: 'prod'}: the target's gate on its own, through the
 * front door's {@link GateCheck}; changes no traffic. Returns {@code [outcome:, reason:, looks:,
 * metricsUnusable:]}; a ROLLBACK verdict fails the build with the reason unless {@code failOnRollback: false}.
 */
public final class MetricsGateStep extends GatedStep {

    private static final long serialVersionUID = 1L;

    private boolean failOnRollback = true;

    @DataBoundConstructor
    public MetricsGateStep(String target, String prometheus) {
        super(target, prometheus);
    }

    public boolean isFailOnRollback() {
        return failOnRollback;
    }

    @DataBoundSetter
    public void setFailOnRollback(boolean failOnRollback) {
        this.failOnRollback = failOnRollback;
    }

    /**
     * A gate moves no traffic, so its spec needs no canary steps: without them the front door would refuse
     * the canary spec ("steps is missing"), which made {@code metricsGate target:, prometheus:} as documented
     * fail. They only shape a rollout; the gate itself never reads them.
     */
    @Override
    void applyTo(SpecBuilder builder) {
        super.applyTo(builder);
        if (getSteps() == null && !"blueGreen".equals(getStrategy())) {
            builder.steps(List.of(100));
        }
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    /** A read-only gate: after a restart it simply looks again from the start. */
    static final class Execution extends BackgroundExecution {

        private static final long serialVersionUID = 1L;
        private static final Pattern LOOK = Pattern.compile("look (\\d+): (\\S+)");
        private final MetricsGateStep step;

        Execution(StepContext context, MetricsGateStep step) {
            super(context);
            this.step = step;
        }

        @Override
        Object run(Run<?, ?> run, TaskListener listener) throws Exception {
            DeploymentSpec spec = StepSupport.spec(run, step, "metricsGate");
            var context = StepSupport.context(run, listener, "metricsGate");
            GateCheck.Verdict verdict;
            try (PrometheusMetricSource metrics = spec.metrics()) {
                GateCheck check = new GateCheck(spec, metrics);
                String gate = "gate " + check.gate().metrics().stream().map(MetricSpec::name).collect(Collectors.joining(", "));
                status(gate + ": first look after " + check.gate().interval().toSeconds() + " s");
                verdict = check.run(Clock.systemUTC(), line -> {
                    context.progress().report(line);
                    // "look 4: PASS {...}" -> "gate error-ratio: 4 looks, last PASS" for the Pipeline's thread dump
                    Matcher look = LOOK.matcher(line);
                    if (look.lookingAt()) {
                        status(gate + ": " + look.group(1) + " looks, last " + look.group(2));
                    }
                });
                check.audit(context, verdict, "metricsGate in " + run.getFullDisplayName());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("outcome", verdict.outcome().name());
            result.put("reason", verdict.reason());
            result.put("looks", verdict.looks());
            result.put("metricsUnusable", verdict.metricsUnusable());
            context.progress().report(verdict.outcome() + " after " + verdict.looks() + " looks: " + verdict.reason());
            if (!verdict.wouldPromote() && step.isFailOnRollback()) {
                throw new AbortException("metricsGate " + verdict.outcome() + ": " + verdict.reason());
            }
            return result;
        }

        @Override
        String notResumableBecause() {
            return null;
        }

        @Override
        String stepName() {
            return "metricsGate";
        }
    }

    @Extension
    @Symbol("metricsGate")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "metricsGate";
        }

        @Override
        public String getDisplayName() {
            return Messages.MetricsGateStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
