package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        deployment rolled out        | Deployment  | 3 | {"replicas":3}           | {"observedGeneration":3,"replicas":3,"updatedReplicas":3,"availableReplicas":3} | true
        controller not caught up     | Deployment  | 4 | {"replicas":3}           | {"observedGeneration":3,"replicas":3,"updatedReplicas":3,"availableReplicas":3} | false
        old pods still running       | Deployment  | 3 | {"replicas":3}           | {"observedGeneration":3,"replicas":4,"updatedReplicas":3,"availableReplicas":3} | false
        new pods not available       | Deployment  | 3 | {"replicas":3}           | {"observedGeneration":3,"replicas":3,"updatedReplicas":3,"availableReplicas":2} | false
        default of one replica       | Deployment  | 1 | {}                       | {"observedGeneration":1,"replicas":1,"updatedReplicas":1,"availableReplicas":1} | true
        scaled to zero               | Deployment  | 2 | {"replicas":0}           | {"observedGeneration":2}                                                       | true
        statefulset on new revision  | StatefulSet | 2 | {"replicas":2}           | {"observedGeneration":2,"updatedReplicas":2,"readyReplicas":2,"currentRevision":"r2","updateRevision":"r2"} | true
        statefulset mid-update       | StatefulSet | 2 | {"replicas":2}           | {"observedGeneration":2,"updatedReplicas":2,"readyReplicas":2,"currentRevision":"r1","updateRevision":"r2"} | false
        daemonset everywhere         | DaemonSet   | 5 | {}                       | {"observedGeneration":5,"desiredNumberScheduled":4,"updatedNumberScheduled":4,"numberAvailable":4} | true
        daemonset one node behind    | DaemonSet   | 5 | {}                       | {"observedGeneration":5,"desiredNumberScheduled":4,"updatedNumberScheduled":3,"numberAvailable":4} | false
        """)
    void completeOnlyWhenTheCurrentTemplateIsFullyAvailable(String row, String kind, int generation, String spec,
            String status, boolean complete) throws Exception {
        String workload = "{\"kind\":\"" + kind + "\",\"metadata\":{\"generation\":" + generation + "},\"spec\":" + spec
                + ",\"status\":" + status + "}";

        assertThat(Rollout.isComplete(JSON.readTree(workload))).isEqualTo(complete);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        deadline exceeded | False | ProgressDeadlineExceeded | ProgressDeadlineExceeded: timed out
        progressing       | True  | NewReplicaSetAvailable   | ''
        other failure     | False | SomethingElse            | ''
        """)
    void reportsAnExceededProgressDeadline(String row, String status, String reason, String expected) throws Exception {
        String workload = "{\"status\":{\"conditions\":[{\"type\":\"Progressing\",\"status\":\"" + status
                + "\",\"reason\":\"" + reason + "\",\"message\":\"timed out\"}]}}";

        assertThat(Rollout.deadlineExceeded(JSON.readTree(workload)).orElse("")).isEqualTo(expected);
    }
}
