package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 9 item 7: the whole spec is validated before the lock, exit 2 naming the field, the value and what is right. */
class SpecValidationTest {

    @TempDir
    Path dir;

    private Path spec(String gate, String steps) throws Exception {
        return VmSpecText.write(dir.resolve("deploy.yaml"), 42, dir.resolve("admin.sock"), "http://127.0.0.1:9/",
                "interval: 1s, maxDuration: 60s" + gate, "steps: " + steps);
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("healthyErrorRate: abc is not silently defaulted", ", healthyErrorRate: abc", "[10, 100]",
                        "gate.healthyErrorRate must be strictly between 0 and 1, got 'abc'"),
                Arguments.of("a negative healthyErrorRate", ", healthyErrorRate: -0.5", "[10, 100]",
                        "gate.healthyErrorRate must be strictly between 0 and 1, got '-0.5'"),
                Arguments.of("minimumEffect below 1", ", minimumEffect: 0.5", "[10, 100]",
                        "gate.minimumEffect must be a ratio above 1"),
                Arguments.of("decreasing steps", "", "[50, 10, 100]", "steps must never decrease, got '[50, 10, 100]'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void aBadSpecValueExitsTwoBeforeTheLockNamingFieldAndValue(String name, String gate, String steps, String message)
            throws Exception {
        CliRun run = CliRun.of(Clock.systemUTC(), "deploy", "--store", dir.resolve("records").toString(), "--spec",
                spec(gate, steps).toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("locks")).as("no lock was taken").doesNotExist();
        assertThat(dir.resolve("records")).doesNotExist();
    }

    @Test
    void aBinaryFileGivenAsASpecIsNamedNotDumped() throws Exception {
        byte[] bytes = new byte[4096];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 131 + 7);
        }
        Path binary = Files.write(dir.resolve("rollback-cli.jar"), bytes);

        CliRun run = CliRun.of(Clock.systemUTC(), "deploy", "--store", dir.resolve("records").toString(), "--spec",
                binary.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("rollback-cli.jar is a binary file (4096 bytes").hasSizeLessThan(600)
                .doesNotContainPattern("[\\x00-\\x08\\x0e-\\x1f]");
    }
}
