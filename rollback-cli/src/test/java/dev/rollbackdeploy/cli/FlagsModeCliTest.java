package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollback deploy --spec} with a bad {@code flags.mode}: exit 2 naming the field and value, nothing locked or written. */
class FlagsModeCliTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mode: {0}")
    @ValueSource(strings = {"instead", "after-traffic", "INSTEAD_OF_TRAFFIC"})
    void aBadFlagsModeExitsTwoBeforeTheLockNamingFieldAndValue(String mode) throws Exception {
        Path spec = Files.writeString(dir.resolve("deploy.yaml"), """
                build: shop#42
                buildUrl: https://ci.example.com/job/shop/42/
                target:
                  key: shop-vms
                  haproxy:
                    sockets: [%s]
                    backend: app
                    stable: [stable1]
                    canary: [canary1]
                prometheus: http://127.0.0.1:9/
                gate: {interval: 1s, maxDuration: 60s}
                steps: [25, 100]
                flags:
                  provider: webhook
                  url: http://127.0.0.1:9/flags
                  turnOff: [new-checkout]
                  mode: %s
                """.formatted(dir.resolve("admin.sock"), mode));

        CliRun run = CliRun.of(Clock.systemUTC(), "deploy", "--store", dir.resolve("records").toString(), "--spec",
                spec.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("flags.mode must be before-traffic", "or instead-of-traffic", "got '" + mode + "'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("locks")).as("no lock was taken").doesNotExist();
        assertThat(dir.resolve("records")).doesNotExist();
    }
}
