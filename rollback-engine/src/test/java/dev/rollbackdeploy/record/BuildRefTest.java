package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.WorkloadRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.ObjectKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildRefTest {

    @Test
    void parsesFolderJobAndNumber() {
        assertThat(BuildRef.parse("team/shop#42")).isEqualTo(new BuildRef("team/shop", 42));
        assertThat(BuildRef.parse("team/shop#42").toString()).isEqualTo("team/shop#42");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "shop            | job#number",
            "shop#           | build number must be digits",
            "shop#x1         | build number must be digits",
            "shop#0          | must be 1 or more, got 0",
            "#4              | job full name",
            "/shop#4         | '/'-separated names",
            "team//shop#4    | '/'-separated names",
    })
    void rejectsMalformedBuildQuotingIt(String text, String messagePart) {
        assertThatThrownBy(() -> BuildRef.parse(text)).hasMessageContaining(messagePart);
    }

    @Test
    void ordersByJobThenNumber() {
        assertThat(new BuildRef("a", 10)).isGreaterThan(new BuildRef("a", 9)).isLessThan(new BuildRef("b", 1));
    }

    @Test
    void workloadRefRejectsBadContainerName() {
        ObjectKey deployment = new ObjectKey("apps", "Deployment", "shop", "web");
        assertThatThrownBy(() -> new WorkloadRef(deployment, "Web_1"))
                .hasMessageContaining("Deployment.apps/shop/web").hasMessageContaining("'Web_1'");
    }
}
