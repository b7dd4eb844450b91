package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalFlagWebhook;
import dev.rollbackdeploy.local.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rollback --to} with the target's deploy spec (kill switch, recovery command), {@code --recover},
 * {@code --recover-to} and {@code --record-as}, against a real PostgreSQL migrated by Flyway and an in-house
 * flag service ({@link LocalFlagWebhook}): shop#41 ran at schema V1 (dumped then), shop#42 is live after a contract migration.
 */
class RestoreSafetyCliTest extends ShopOnPostgresCliTest {

    private static Path bin;

    private final List<String> switches = Collections.synchronizedList(new ArrayList<>());
    private LocalFlagWebhook flags;

    @BeforeAll
    static void findPostgresTools() throws Exception {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.max(Comparator.naturalOrder()).orElseThrow().resolve("bin");
        }
    }

    @BeforeEach
    void shop42LiveAfterAContractMigration() throws Exception {
        flags = new LocalFlagWebhook(switches);
        flags.set("new-checkout", true);
        migration("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);");
        Process dump = new ProcessBuilder(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(postgres.port()), "-U", LocalPostgres.USER, "-n", schema, "-f",
                work.resolve("at-shop41.sql").toString(), DATABASE).redirectErrorStream(true).start();
        assertThat(dump.waitFor()).as(new String(dump.getInputStream().readAllBytes())).isZero();
        assertThat(record(41, "--schema-version", "1")).as(last.err()).isZero();
        assertThat(record(42, "--schema-version", "1")).as(last.err()).isZero();
        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#42"))
                .as(last.err()).isZero();
        migration("V2__expand_add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name text;");
        migration("V3__contract_drop_name.sql", "ALTER TABLE customer DROP COLUMN name;");
    }

    @AfterEach
    void stopFlags() {
        flags.close();
    }

    @Test
    void recoverKillSwitchAndRecordInOneRestore() throws Exception {
        Path spec = spec("  turnOff: [new-checkout]\n", recoverySection());

        assertThat(rollbackTo41("--spec", spec.toString(), "--recover", "shop#42's contract migration broke checkout",
                "--recover-to", "2026-12-04T11:00:00Z", "--record-as", "shop#45")).as(last.err()).isZero();

        assertThat(last.out()).contains("\"status\" : \"RESTORED\"", "\"recorded\" : \"shop#45\"",
                "\"decision\" : \"COMPATIBLE\"", "\"exitCode\" : 0", "\"flag\" : \"new-checkout\"", "\"before\" : true",
                "\"enabled\" : false");
        assertThat(switches).containsExactly("flag new-checkout off");
        assertThat(postgres.psql(DATABASE, "SELECT max(version) FROM " + schema + ".flyway_schema_history")).isEqualTo("1");
        try (Stream<Path> logs = Files.list(work.resolve("recovery"))) {
            assertThat(Files.readString(logs.findFirst().orElseThrow())).contains("to 2026-12-04T11:00:00Z");
        }
        assertThat(audit()).containsPattern("RECOVERY +shop-local +- -> shop#41 +by \\S+: shop#42's contract migration")
                .containsPattern("ROLLBACK +shop-local +shop#42 -> shop#41 .*kill switch: flags in flag webhook");
        assertThat(run("audit", "--store", store(), "--verify")).as(last.out() + last.err()).isZero();
        assertThat(run("history", "--store", store(), "--target", "shop-local")).isZero();
        assertThat(last.out()).containsPattern("shop#45.*ROLLED_BACK");
        assertThat(run("--json", "rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to",
                "shop#45")).as(last.err()).isZero();
        assertThat(last.out()).as("the restore's record is what is live").contains("\"writes\" : 0", "\"flags\" : [ ]");
    }

    @Test
    void insteadOfTrafficTurnsTheFlagOffAndLeavesTheTargetAsItIs() throws Exception {
        String liveBefore = liveFiles();
        Path spec = spec("  turnOff: [new-checkout]\n  mode: instead-of-traffic\n", "");

        assertThat(rollbackTo41("--spec", spec.toString(), "--override-schema", "shop#41 never reads customer.name"))
                .as(last.err()).isZero();

        assertThat(last.out()).contains("\"status\" : \"FLAGS_OFF\"", "\"writes\" : 0", "\"before\" : true");
        assertThat(last.err()).contains("left as it is", "before-traffic");
        assertThat(liveFiles()).isEqualTo(liveBefore);
        assertThat(switches).containsExactly("flag new-checkout off");
    }

    @Test
    void aSchemaRefusalSaysThatTheConfiguredRecoveryCanRunFirst() throws Exception {
        assertThat(rollbackTo41("--spec", spec("  turnOff: [new-checkout]\n", recoverySection()).toString())).isEqualTo(6);

        assertThat(last.err()).contains("rollback to shop#41 refused", "nothing was changed",
                "run again with --recover REASON");
        assertThat(switches).as("refused before the flags went off").isEmpty();
        assertThat(postgres.psql(DATABASE, "SELECT max(version) FROM " + schema + ".flyway_schema_history")).isEqualTo("3");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("an unknown spec field", "  turnOff: [new-checkout]\n  colour: red\n", "", List.of(),
                        "flags.colour is not a field of flags"),
                Arguments.of("a kill switch mode that does not exist", "  turnOff: [new-checkout]\n  mode: sideways\n", "",
                        List.of(), "flags.mode must be before-traffic"),
                Arguments.of("a flag that does not exist", "  turnOff: [no-such-flag]\n", "", List.of(),
                        "flag 'no-such-flag' does not exist"),
                Arguments.of("a recovery timeout that is not ISO-8601", "  turnOff: [new-checkout]\n",
                        "recovery:\n  command: [/bin/true]\n  timeout: 10m\n", List.of(), "recovery.timeout"),
                Arguments.of("--record-as a build that has a record", "  turnOff: [new-checkout]\n", "",
                        List.of("--record-as", "shop#42"), "shop#42 already has a record"),
                Arguments.of("--recover without a recovery command", "  turnOff: [new-checkout]\n", "",
                        List.of("--recover", "the database must go back"), "--recover needs a recovery command"),
                Arguments.of("--recover-to that is not a time", "  turnOff: [new-checkout]\n", "RECOVERY",
                        List.of("--recover", "the database must go back", "--recover-to", "yesterday"),
                        "--recover-to must be an ISO-8601 time"),
                Arguments.of("--recover-to without --recover", "  turnOff: [new-checkout]\n", "RECOVERY",
                        List.of("--recover-to", "2026-12-04T11:00:00Z"), "--recover-to needs --recover"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsExit2BeforeAnyLockOrWrite(String name, String flagsSection, String recovery, List<String> options,
            String message) throws Exception {
        String liveBefore = liveFiles();
        String auditBefore = audit();
        Path spec = spec(flagsSection, recovery.equals("RECOVERY") ? recoverySection() : recovery);

        assertThat(rollbackTo41(Stream.concat(Stream.of("--spec", spec.toString()), options.stream())
                .toArray(String[]::new))).as(last.err()).isEqualTo(2);

        assertThat(last.err()).contains(message);
        assertThat(liveFiles()).isEqualTo(liveBefore);
        assertThat(audit()).isEqualTo(auditBefore);
        assertThat(switches).isEmpty();
        assertThat(postgres.psql(DATABASE, "SELECT max(version) FROM " + schema + ".flyway_schema_history")).isEqualTo("3");
        assertThat(run("history", "--store", store(), "--target", "shop-local")).isZero();
        assertThat(last.out()).doesNotContain("shop#45");
    }

    private Path spec(String flagsSection, String recovery) throws IOException {
        return Files.writeString(work.resolve("deploy.yaml"), "flags:\n  provider: webhook\n  url: " + flags.url() + "\n"
                + flagsSection + recovery);
    }

    /** The team's point-in-time recovery: the schema as it was when shop#41 deployed (values baked in: no shell). */
    private String recoverySection() throws IOException {
        String psql = "\"" + bin.resolve("psql") + "\" -h 127.0.0.1 -p " + postgres.port() + " -U postgres -d " + DATABASE
                + " -v ON_ERROR_STOP=1 -q";
        Path script = Files.writeString(work.resolve("restore-to.sh"), "#!/bin/sh\nset -e\necho \"recovering "
                + "$ROLLBACK_TARGET for $ROLLBACK_TO_BUILD to $ROLLBACK_RECOVER_TO\"\n" + psql + " -c \"DROP SCHEMA "
                + schema + " CASCADE\"\n" + psql + " -f \"" + work.resolve("at-shop41.sql") + "\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return "recovery:\n  command: [" + script + "]\n  timeout: PT1M\n";
    }

}
