package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec as a Jenkins step builds it: plain values, no file. */
class SpecBuilderTest {

    private static SpecBuilder jenkinsFields() {
        return DeploymentSpec.builder().build("team/shop#7").buildUrl("https://ci.example.com/job/team/job/shop/7/")
                .targetKey("shop-vms").haproxySockets(List.of("10.0.0.5:9999")).haproxyBackend("app")
                .stableServers(List.of("blue1")).canaryServers(List.of("green1")).prometheus("http://prometheus:9090")
                .strategy("canary").steps(List.of(5, 50, 100)).healthyErrorRate(0.02).minimumEffect("5").interval("5s")
                .maxDuration("PT2M");
    }

    @Test
    void plainValuesBuildTheSameSpecAFileWould() throws Exception {
        DeploymentSpec spec = jenkinsFields().toSpec("canaryDeploy");

        assertThat(spec.steps()).containsExactly(Weight.of(5), Weight.of(50), Weight.ALL);
        assertThat(spec.gate().healthyErrorRate()).isEqualTo(0.02);
        assertThat(spec.gate().minimumEffect()).isEqualTo(5);
        assertThat(spec.gate().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.gate().maxDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.haproxy().credentialsId()).isEqualTo("local-sockets");
        assertThat(spec.recordTarget().endpoints()).extracting(Object::toString).containsExactly("tcp://10.0.0.5:9999");
        assertThat(spec.ownGate()).isEqualTo(spec.stepGate());
    }

    @Test
    void aBlueGreenSpecsOwnGateIsTheAfterSwitchGate() throws Exception {
        DeploymentSpec spec = jenkinsFields().strategy("blueGreen").steps(null).scaleDownDelay("45s").toSpec("canaryDeploy");

        assertThat(spec.ownGate()).isEqualTo(spec.afterSwitchGate());
        assertThat(spec.ownGate().metrics()).singleElement().satisfies(m ->
                assertThat(m.name()).isEqualTo("new-version-error-rate"));
    }

    @Test
    void missingFieldsAreAllNamedWithWhatToGive() {
        assertThatThrownBy(() -> DeploymentSpec.builder().toSpec("canaryDeploy"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.problems()).extracting(SpecProblem::field).contains("build", "buildUrl", "target.key",
                            "target.haproxy.sockets", "target.haproxy.backend", "prometheus", "steps");
                    assertThat(e.getMessage()).startsWith("canaryDeploy has ").contains("build is missing; must be a build"
                            + " written job#number, e.g. shop#42");
                });
    }

    @Test
    void fieldsOfTheOtherStrategyAreRefused() {
        assertThatThrownBy(() -> jenkinsFields().scaleDownDelay("30s").toSpec("canaryDeploy"))
                .hasMessageContaining("scaleDownDelay belongs to blueGreen");
        assertThatThrownBy(() -> jenkinsFields().strategy("blueGreen").toSpec("canaryDeploy"))
                .hasMessageContaining("steps belongs to a canary");
    }
}
