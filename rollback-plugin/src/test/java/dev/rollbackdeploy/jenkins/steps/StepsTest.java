package dev.rollbackdeploy.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.jenkins.config.HAProxyTargetConfig;
import dev.rollbackdeploy.jenkins.config.PrometheusEndpoint;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import hudson.model.Result;
import java.util.List;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The steps in a JenkinsRule Jenkins: described for the Snippet Generator, and bad input answered at the door. */
@WithJenkins
class StepsTest {

    /** Where Jenkins looks for a field's help: beside the class or any superclass (Descriptor.getHelpFile). */
    private static boolean help(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getResource(c.getSimpleName() + "/" + name + ".html") != null) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyStepFieldHasHelpAndBadInputFailsTheBuildNamingFieldAndValueBeforeAnyWrite(JenkinsRule j) throws Exception {
        for (Class<?> type : List.of(CanaryDeployStep.class, MetricsGateStep.class, RollbackToStep.class, RollbackDrillStep.class)) {
            StepDescriptor descriptor = (StepDescriptor) j.jenkins.getDescriptorOrDie(type.asSubclass(hudson.model.Describable.class));
            assertThat(help(type, "help")).as(type + " help").isTrue();
            assertThat(type.getResource(type.getSimpleName() + "/config.jelly")).as(type + " config.jelly").isNotNull();
            for (DescribableParameter parameter : new DescribableModel<>(type).getParameters()) {
                assertThat(help(type, "help-" + parameter.getName())).as(type.getSimpleName() + "." + parameter.getName())
                        .isTrue();
            }
            assertThat(descriptor.getRequiredContext()).noneMatch(c -> c.getSimpleName().equals("FilePath")
                    || c.getSimpleName().equals("Launcher"));
        }
        RollbackConfiguration config = RollbackConfiguration.get();
        config.setPrometheusEndpoints(List.of(new PrometheusEndpoint("prod", "http://127.0.0.1:1/")));
        config.setHaproxyTargets(List.of(new HAProxyTargetConfig("shop-vms", "127.0.0.1:1", "app", "s1", "c1")));
        WorkflowJob job = j.createProject(WorkflowJob.class, "deploy");

        job.setDefinition(new CpsFlowDefinition("canaryDeploy target: 'nope', prometheus: 'prod', steps: '10, 100'", true));
        WorkflowRun unknown = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        j.assertLogContains("no HAProxy target named 'nope' is configured", unknown);
        j.assertLogContains("[shop-vms]", unknown);

        job.setDefinition(new CpsFlowDefinition("canaryDeploy target: 'shop-vms', prometheus: 'prod', steps: '50, 10', "
                + "interval: 'soon', healthyErrorRate: 2.0", true));
        WorkflowRun bad = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        j.assertLogContains("steps", bad);
        j.assertLogContains("gate.interval", bad);
        j.assertLogContains("soon", bad);
        j.assertLogContains("gate.healthyErrorRate", bad);
        j.assertLogNotContains("holding the lock", bad);

        job.setDefinition(new CpsFlowDefinition("rollbackTo 'not a build'", true));
        j.assertLogContains("build must be job#number", j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0)));
    }
}
