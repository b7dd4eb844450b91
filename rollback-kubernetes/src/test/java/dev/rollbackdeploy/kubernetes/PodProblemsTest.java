package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodProblemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode pod(String name, String status) throws Exception {
        return JSON.readTree("{\"metadata\":{\"name\":\"" + name + "\"},\"status\":" + status + "}");
    }

    private static String waiting(String field, String reason, int restarts, String message) {
        return "{\"" + field + "\":[{\"name\":\"web\",\"restartCount\":" + restarts
                + ",\"state\":{\"waiting\":{\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}}}]}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        image pull back-off      | containerStatuses     | ImagePullBackOff           | 0 | pod web-1 container web: ImagePullBackOff (m)
        image pull error         | containerStatuses     | ErrImagePull               | 0 | pod web-1 container web: ErrImagePull (m)
        bad image name           | containerStatuses     | InvalidImageName           | 0 | pod web-1 container web: InvalidImageName (m)
        missing config           | containerStatuses     | CreateContainerConfigError | 0 | pod web-1 container web: CreateContainerConfigError (m)
        init container pull      | initContainerStatuses | ImagePullBackOff           | 0 | pod web-1 container web: ImagePullBackOff (m)
        crash loop at threshold  | containerStatuses     | CrashLoopBackOff           | 3 | pod web-1 container web: CrashLoopBackOff after 3 restarts (m)
        crash loop below it      | containerStatuses     | CrashLoopBackOff           | 2 | ''
        still creating           | containerStatuses     | ContainerCreating          | 0 | ''
        """)
    void reportsContainersThatWillNotStart(String row, String field, String reason, int restarts, String expected)
            throws Exception {
        Optional<String> problem = PodProblems.first(List.of(pod("web-1", waiting(field, reason, restarts, "m"))), 3);

        assertThat(problem.orElse("")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unschedulable     | False | Unschedulable | pod web-1: Unschedulable (0/3 nodes are available: 3 Insufficient cpu.)
        scheduled         | True  | ''            | ''
        other reason      | False | SchedulerError| ''
        """)
    void reportsPodsTheSchedulerCannotPlace(String row, String status, String reason, String expected) throws Exception {
        String conditions = "{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"" + status + "\",\"reason\":\""
                + reason + "\",\"message\":\"0/3 nodes are available: 3 Insufficient cpu.\"}]}";

        assertThat(PodProblems.first(List.of(pod("web-1", conditions)), 3).orElse("")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        first pod by name wins | web-b | web-a | pod web-a container web: ErrImagePull (m)
        """)
    void answersInPodNameOrder(String row, String first, String second, String expected) throws Exception {
        List<JsonNode> pods = List.of(pod(first, waiting("containerStatuses", "ImagePullBackOff", 0, "m")),
                pod(second, waiting("containerStatuses", "ErrImagePull", 0, "m")));

        assertThat(PodProblems.first(pods, 3)).contains(expected);
    }
}
