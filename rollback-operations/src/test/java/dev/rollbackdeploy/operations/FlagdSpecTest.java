package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's {@code flags: {provider: flagd, file: …}}: an OpenFeature flagd flag-definitions file, resolved
 * against the spec's directory, read at the door; without a file, or with an unknown provider, refused
 * naming the field with the spec's other problems.
 */
class FlagdSpecTest {

    @TempDir
    Path dir;

    private Path spec(String flagsLines) throws Exception {
        return Files.writeString(dir.resolve("deploy.yaml"), "build: shop#42\nflags:\n" + flagsLines);
    }

    @Test
    void aFlagdFileNextToTheSpecIsTheKillSwitchsStoreAndItsFlagsAreCheckedAtTheDoor() throws Exception {
        Files.createDirectories(dir.resolve("flags"));
        Files.writeString(dir.resolve("flags/production.flagd.json"), """
                {"flags": {"new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}}}
                """);
        DeploySafety safety = SafetySpecFile.read(spec("""
                  provider: flagd
                  file: flags/production.flagd.json
                  turnOff: [new-checkout]
                """), Map.<String, String>of()::get);

        FlagSwitch flags = safety.killSwitch().orElseThrow();
        assertThat(flags.toString()).contains(dir.resolve("flags/production.flagd.json").toString());
        flags.check();

        DeploySafety misspelt = SafetySpecFile.read(spec("""
                  provider: flagd
                  file: flags/production.flagd.json
                  turnOff: [new-chekout]
                """), Map.<String, String>of()::get);
        assertThatThrownBy(() -> misspelt.check()).isInstanceOfSatisfying(OperationException.class,
                e -> assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID)).hasMessageContaining("'new-chekout'");
    }

    @Test
    void flagdWithoutAFileIsRefusedNamingFlagsFile() throws Exception {
        Path file = spec("  provider: flagd\n  turnOff: [new-checkout]\n  colour: blue\n");

        assertThatThrownBy(() -> SafetySpecFile.read(file, Map.<String, String>of()::get))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems())
                        .extracting(SpecProblem::field).containsExactlyInAnyOrder("flags.file", "flags.colour"))
                .hasMessageContaining("flagd flag-definitions file");
    }

    @Test
    void anUnknownProviderNamesTheThreeItKnows() throws Exception {
        Path file = spec("  provider: launchdarkly\n  turnOff: [new-checkout]\n");

        assertThatThrownBy(() -> SafetySpecFile.read(file, Map.<String, String>of()::get))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("flags.provider")
                .hasMessageContaining("launchdarkly").hasMessageContaining("unleash, webhook or flagd");
    }
}
