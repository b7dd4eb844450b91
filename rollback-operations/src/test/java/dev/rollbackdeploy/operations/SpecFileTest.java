package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.traffic.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecFileTest {

    @TempDir
    Path dir;

    private static final String CANARY = """
            build: shop#42
            buildUrl: https://ci.example.com/job/shop/42/
            target:
              key: shop-vms
              haproxy:
                sockets: [/run/haproxy/admin.sock]
                backend: app
                stable: [stable1, stable2]
                canary: [canary1]
            prometheus: http://127.0.0.1:9090/
            gate: {interval: 1s, maxDuration: 60s%s}
            steps: %s
            """;

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("deploy.yaml"), text);
    }

    @Test
    void theDocumentedExamplesAreValidSpecs() throws Exception {
        DeploymentSpec canary = SpecFile.read(Path.of("..", "docs", "examples", "deploy.yaml"));
        assertThat(canary.strategy()).isEqualTo(DeploymentSpec.Strategy.CANARY);
        assertThat(canary.steps()).containsExactly(Weight.of(10), Weight.of(25), Weight.of(50), Weight.ALL);

        DeploymentSpec blueGreen = SpecFile.read(Path.of("..", "docs", "examples", "blue-green.yaml"));
        assertThat(blueGreen.strategy()).isEqualTo(DeploymentSpec.Strategy.BLUE_GREEN);
        assertThat(blueGreen.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(blueGreen.haproxy().backend().canaryServers()).containsExactly("green1", "green2");
        assertThat(blueGreen.gate().minRequests()).isEqualTo(100);
    }

    static Stream<Arguments> badValues() {
        // Issue 9 item 7: each was silently defaulted or crashed after the lock was taken.
        return Stream.of(
                Arguments.of("a word for a rate", ", healthyErrorRate: abc", "[10, 100]",
                        "gate.healthyErrorRate must be strictly between 0 and 1, got 'abc'"),
                Arguments.of("a negative rate", ", healthyErrorRate: -0.5", "[10, 100]",
                        "gate.healthyErrorRate must be strictly between 0 and 1, got '-0.5'"),
                Arguments.of("an effect below 1", ", minimumEffect: 0.5", "[10, 100]",
                        "gate.minimumEffect must be a ratio above 1"),
                Arguments.of("decreasing steps", "", "[50, 10, 100]", "steps must never decrease"),
                Arguments.of("a step over 100", "", "[10, 140]", "weight must be 0..100, got 140"),
                Arguments.of("a word for a step", "", "[10, ten]", "steps[1] must be a whole percentage 0..100, got 'ten'"),
                Arguments.of("a word for a count", ", minRequests: many", "[10, 100]", "gate.minRequests must be a whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueIsRefusedNamingTheFieldTheValueAndWhatWouldBeRight(String name, String gate, String steps, String message)
            throws Exception {
        Path spec = write(CANARY.formatted(gate, steps));

        assertThatThrownBy(() -> SpecFile.read(spec)).isInstanceOf(InvalidSpecException.class).hasMessageContaining(message)
                .hasMessageContaining(spec.toString());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path spec = write(CANARY.formatted(", healthyErrorRate: abc, minimumEffect: 0.5", "[50, 10, 100]")
                .replace("prometheus: http://127.0.0.1:9090/", "prometheus: 127.0.0.1:9090\ncolour: blue"));

        assertThatThrownBy(() -> SpecFile.read(spec)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
                assertThat(e.problems()).extracting(SpecProblem::field).containsExactlyInAnyOrder("colour", "prometheus",
                        "steps", "gate.healthyErrorRate", "gate.minimumEffect"));
    }

    @Test
    void aBinaryFileIsNamedAsSuchAndNotEchoed() throws Exception {
        byte[] bytes = new byte[600];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37);
        }
        Path spec = Files.write(dir.resolve("app.bin"), bytes);

        assertThatThrownBy(() -> SpecFile.read(spec)).isInstanceOfSatisfying(OperationException.class, e -> {
            assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID);
            assertThat(e.getMessage()).contains("is a binary file (600 bytes").doesNotContainPattern("[\\x00-\\x08\\x0e-\\x1f]");
        });
    }

    @Test
    void aMissingFileAndBrokenYamlAreNamed() throws Exception {
        assertThatThrownBy(() -> SpecFile.read(dir.resolve("nope.yaml"))).hasMessageContaining("nope.yaml does not exist");
        Path broken = write("build: [shop#42\n");
        assertThatThrownBy(() -> SpecFile.read(broken)).hasMessageContaining("is not valid YAML or JSON at line");
    }
}
