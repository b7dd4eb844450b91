package dev.rollbackdeploy.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step execution survives the Pipeline's own pickling (JBoss Marshalling River) with its durable
 * fields, and every persisted action survives XStream: write, read back, compare.
 */
class PersistenceTest {

    static Stream<Named<StepExecution>> executions() throws Exception {
        CanaryDeployStep canary = new CanaryDeployStep("shop-vms", "prod");
        canary.setSteps("10, 25, 50, 100");
        canary.setInterval("1s");
        canary.setHealthyErrorRate(0.02);
        CanaryDeployExecution running = new CanaryDeployExecution(new FakeStepContext("c"), canary);
        // a deployment under way: the front door's state string, as a round leaves it
        set(running, "state", "{\"format\":1,\"build\":\"shop#42\",\"target\":\"shop-vms\"}");
        set(running, "status", "step 3/8, weight 25%, gate error-ratio: 4 looks, last Pass (hold)");
        MetricsGateStep gate = new MetricsGateStep("shop-vms", "prod");
        gate.setFailOnRollback(false);
        RollbackToStep restore = new RollbackToStep("lastPromoted");
        restore.setTarget("shop-vms");
        RollbackDrillStep drill = new RollbackDrillStep("staging", "prod");
        drill.setSloSeconds(30);
        return Stream.of(
                Named.of("canaryDeploy under way", running),
                Named.of("metricsGate", new MetricsGateStep.Execution(new FakeStepContext("g"), gate)),
                Named.of("rollbackTo", new RollbackToExecution(new FakeStepContext("r"), restore)),
                Named.of("rollbackDrill", new RollbackDrillStep.Execution(new FakeStepContext("d"), drill)));
    }

    @ParameterizedTest
    @MethodSource("executions")
    void stepExecutionSurvivesRiverMarshallingWithItsDurableFields(StepExecution execution) throws Exception {
        byte[] pickled = Pickles.river(execution);
        Object back = Pickles.unriver(pickled);

        assertThat(back).isInstanceOf(execution.getClass());
        assertThat(Pickles.xml(back)).isEqualTo(Pickles.xml(execution));
        assertThat(((StepExecution) back).getContext()).isEqualTo(execution.getContext());
        assertThat(pickled.length).as("pickled step state, bytes").isLessThan(10_000);
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
