package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.traffic.Weight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteWeightsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        only stable                 | [{"backendRefs":[{"name":"web"}]}]                                              | 0
        default weights one to one  | [{"backendRefs":[{"name":"web"},{"name":"canary"}]}]                            | 50
        explicit split              | [{"backendRefs":[{"name":"web","weight":90},{"name":"canary","weight":10}]}]   | 10
        rounded share               | [{"backendRefs":[{"name":"web","weight":2},{"name":"canary","weight":1}]}]     | 33
        both zero                   | [{"backendRefs":[{"name":"web","weight":0},{"name":"canary","weight":0}]}]     | 0
        other kinds ignored         | [{"backendRefs":[{"name":"web"},{"name":"canary","kind":"ServiceImport"}]}]    | 0
        rules without stable skipped| [{"backendRefs":[{"name":"admin"}]},{"backendRefs":[{"name":"web","weight":3},{"name":"canary","weight":1}]}] | 25
        """)
    void readsTheCanaryShare(String row, String rules, int percent) throws Exception {
        assertThat(RouteWeights.canaryShare(JSON.readTree(rules), "web", "canary")).isEqualTo(Weight.of(percent));
    }

    @Test
    void rulesThatDisagreeAreReportedNotAveraged() {
        String rules = "[{\"backendRefs\":[{\"name\":\"web\",\"weight\":90},{\"name\":\"canary\",\"weight\":10}]},"
                + "{\"backendRefs\":[{\"name\":\"web\",\"weight\":50},{\"name\":\"canary\",\"weight\":50}]}]";

        assertThatThrownBy(() -> RouteWeights.canaryShare(JSON.readTree(rules), "web", "canary"))
                .hasMessage("HTTPRoute rules split differently: 10% and 50% to canary 'canary'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        adds canary with stable's port | [{"backendRefs":[{"name":"web","port":80}]}]                                   | 5  | [{"backendRefs":[{"name":"web","port":80,"weight":95},{"name":"canary","port":80,"weight":5}]}]
        moves existing canary          | [{"backendRefs":[{"name":"web","weight":95},{"name":"canary","weight":5}]}]     | 50 | [{"backendRefs":[{"name":"web","weight":50},{"name":"canary","weight":50}]}]
        zero without canary is no-op   | [{"backendRefs":[{"name":"web"}]}]                                              | 0  | [{"backendRefs":[{"name":"web"}]}]
        all to canary                  | [{"backendRefs":[{"name":"web"}]}]                                              | 100| [{"backendRefs":[{"name":"web","weight":0},{"name":"canary","weight":100}]}]
        """)
    void rewritesOnlyTheStableAndCanaryWeights(String row, String rules, int percent, String expected) throws Exception {
        assertThat(RouteWeights.withCanary(JSON.readTree(rules), "web", "canary", Weight.of(percent)))
                .isEqualTo(JSON.readTree(expected));
    }
}
