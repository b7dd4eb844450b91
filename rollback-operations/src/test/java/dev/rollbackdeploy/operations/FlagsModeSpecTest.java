package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.flags.KillSwitchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The spec's {@code flags.mode}: read into the kill switch, or refused with the spec's other problems. */
class FlagsModeSpecTest {

    @TempDir
    Path dir;

    private Path spec(String modeLine) throws Exception {
        return Files.writeString(dir.resolve("deploy.yaml"), """
                build: shop#42
                flags:
                  provider: webhook
                  url: http://127.0.0.1:9/flags
                  turnOff: [new-checkout]
                %s""".formatted(modeLine));
    }

    static Stream<Arguments> goodModes() {
        return Stream.of(
                Arguments.of("no mode: flags off, then traffic back", "", KillSwitchSpec.Mode.BEFORE_TRAFFIC),
                Arguments.of("before-traffic", "  mode: before-traffic\n", KillSwitchSpec.Mode.BEFORE_TRAFFIC),
                Arguments.of("instead-of-traffic", "  mode: instead-of-traffic\n", KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodModes")
    void theModeIsReadIntoTheKillSwitch(String name, String modeLine, KillSwitchSpec.Mode mode) throws Exception {
        DeploySafety safety = SafetySpecFile.read(spec(modeLine), Map.<String, String>of()::get);

        assertThat(safety.killSwitch().orElseThrow().mode()).isEqualTo(mode);
    }

    static Stream<Arguments> badModes() {
        return Stream.of(
                Arguments.of("half a value", "  mode: instead\n", "flags.mode must be before-traffic", "got 'instead'"),
                Arguments.of("the engine's constant", "  mode: INSTEAD_OF_TRAFFIC\n", "or instead-of-traffic",
                        "got 'INSTEAD_OF_TRAFFIC'"),
                Arguments.of("a number", "  mode: 2\n", "flags.mode must be", "got '2'"),
                Arguments.of("a list", "  mode: [before-traffic]\n", "flags.mode must be", "got '[before-traffic]'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModes")
    void aBadModeIsRefusedNamingTheFieldAndTheValueWithTheOtherProblems(String name, String modeLine, String expected,
            String value) throws Exception {
        Path file = spec(modeLine + "  colour: blue\n");

        assertThatThrownBy(() -> SafetySpecFile.read(file, Map.<String, String>of()::get))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID);
                    assertThat(e.problems()).extracting(SpecProblem::field).containsExactlyInAnyOrder("flags.colour",
                            "flags.mode");
                })
                .hasMessageContaining(expected).hasMessageContaining(value).hasMessageContaining(file.toString());
    }
}
