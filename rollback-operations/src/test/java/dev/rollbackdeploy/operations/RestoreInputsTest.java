package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure parts of a restore's safety settings: the spec's {@code recovery} section and which records hold what was live. */
class RestoreInputsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> recoverySections() {
        return Stream.of(
                Arguments.of("a command and a timeout", "{command: [/opt/db/restore-to.sh, --cluster, shop], timeout: PT2M}",
                        "[/opt/db/restore-to.sh, --cluster, shop] within PT2M"),
                Arguments.of("the default timeout", "{command: [/opt/db/restore-to.sh]}", "[/opt/db/restore-to.sh] within PT10M"),
                Arguments.of("a command as one string (a shell line)", "{command: \"restore.sh && echo\"}",
                        "recovery.command must be a list: the program and its arguments"),
                Arguments.of("an empty command", "{command: []}", "recovery.command must be a list"),
                Arguments.of("a timeout that is not ISO-8601", "{command: [x], timeout: 10m}",
                        "recovery.timeout must be an ISO-8601 duration between 1 s and 12 h, e.g. PT10M, got '10m'"),
                Arguments.of("a timeout over 12 hours", "{command: [x], timeout: PT13H}",
                        "recovery.timeout is not valid: recovery command timeout must be between 1 s and 12 h, got PT13H"),
                Arguments.of("an unknown field", "{command: [x], shell: true}",
                        "recovery.shell is not a field of recovery; known: [command, timeout]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recoverySections")
    void theRecoverySectionIsReadOrRefusedNamingTheField(String name, String section, String expected) throws Exception {
        Path spec = Files.writeString(dir.resolve("deploy.yaml"), "recovery: " + section + "\n");
        try {
            DeploySafety safety = SafetySpecFile.read(spec, variable -> null);
            assertThat(safety.recovery().map(c -> c.argv() + " within " + c.timeout()).orElse("none")).isEqualTo(expected);
        } catch (OperationException e) {
            assertThat(e.getMessage()).contains(expected);
        }
    }

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("promoted", Outcome.promoted(), false, true),
                Arguments.of("a restore's record (rolled back, no gate looks)", Outcome.rolledBack("rollback --to", ref(41)),
                        false, true),
                Arguments.of("a deploy its gate rolled back", Outcome.rolledBack("5xx", ref(41)), true, false),
                Arguments.of("aborted", Outcome.aborted("stopped"), false, false),
                Arguments.of("failed", Outcome.failed("boom"), false, false),
                Arguments.of("deployed (recorded, not rolled out)", Outcome.deployed(), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void whichRecordsHoldWhatWasLive(String name, Outcome outcome, boolean gateLooks, boolean heldLive) throws Exception {
        DeploymentRecord record = new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, new BuildInfo(ref(45),
                URI.create("https://ci.example.com/job/shop/45/"), "tester"), new Target.HAProxy("shop-vms",
                List.of(URI.create("unix:///run/haproxy.sock")), "app", "none"), List.of(),
                ManifestSet.of(List.of(HAProxyCluster.backendObject(new HAProxyBackend("app", List.of("stable1"),
                        List.of("canary1")), Map.of("stable1", 1, "canary1", 0)))),
                new StrategySpec(StrategyKind.IMMUTABLE, Map.of()),
                gateLooks ? List.of(new GateEvidence("{\"verdict\":\"FAIL\"}")) : List.of(), outcome,
                Instant.parse("2026-12-04T12:00:00Z"), Instant.parse("2026-12-04T12:00:00Z"));

        assertThat(StoredRecords.heldLive(record)).isEqualTo(heldLive);
    }

    private static BuildRef ref(int number) {
        return new BuildRef("shop", number);
    }
}
