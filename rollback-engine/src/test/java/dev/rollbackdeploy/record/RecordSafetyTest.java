package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.schema.SchemaJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Records carry the schema, schema check, recovery and flag facts of issue 11 (record format 3). */
class RecordSafetyTest {

    private static final String FILE = "team-shop-42.json";
    private final RecordCodec codec = new RecordCodec();
    private final DeploymentRecord base = Records.record("team/shop", 42);

    static Stream<Arguments> facts() {
        return Stream.of(
                Arguments.of("no facts", RecordSafety.NONE),
                Arguments.of("schema", RecordSafety.NONE.withSchema(SafetyFacts.schema())),
                Arguments.of("schemaCheck", RecordSafety.NONE.withSchemaCheck(SafetyFacts.schemaCheck())),
                Arguments.of("recovery", RecordSafety.NONE.withRecovery(SafetyFacts.recovery())),
                Arguments.of("flags (states)", RecordSafety.NONE.withFlags(SafetyFacts.flagStates())),
                Arguments.of("flags (changes)", RecordSafety.NONE.withFlags(SafetyFacts.flagChanges())),
                Arguments.of("all four", SafetyFacts.all()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void roundTripsWithAndWithoutEachFact(String name, RecordSafety facts) throws IOException {
        DeploymentRecord record = base.withSafety(facts);
        byte[] bytes = codec.encode(record);

        DeploymentRecord read = codec.decode(bytes, FILE);

        assertThat(read).isEqualTo(record);
        assertThat(read.safety()).isEqualTo(facts);
        assertThat(codec.encode(read)).isEqualTo(bytes);
        JsonNode doc = CanonicalJson.STRICT.readTree(bytes);
        for (String field : RecordSafety.FIELDS) {
            // Written exactly in the producing package's form, and only when present.
            assertThat(doc.get(field)).as(field).isEqualTo(facts.tree(field).orElse(null));
        }
    }

    @Test
    void aRecordWithoutFactsEncodesAsFormat2DidApartFromItsFormatNumber() throws IOException {
        byte[] format2 = fixture("format2-team-shop-42.json");
        ObjectNode before = (ObjectNode) CanonicalJson.STRICT.readTree(format2);
        ObjectNode now = (ObjectNode) CanonicalJson.STRICT.readTree(codec.encode(base));

        assertThat(now.get("formatVersion").intValue()).isEqualTo(3);
        for (ObjectNode doc : new ObjectNode[] {before, now}) {
            doc.remove("formatVersion");
            doc.remove(RecordCodec.SELF_HASH);
        }
        assertThat(now).isEqualTo(before);
    }

    @Test
    void readsAFormat2RecordAndWritesItsBytesBack() throws IOException {
        // Written by the code of main at df9e7f8, before format 3.
        byte[] written = fixture("format2-team-shop-42.json");

        DeploymentRecord read = codec.decode(written, "format2.json");

        assertThat(read.formatVersion()).isEqualTo(2);
        assertThat(read.safety()).isEqualTo(RecordSafety.NONE);
        assertThat(codec.encode(read)).isEqualTo(written);
    }

    @Test
    void aLaterRollbackReadsTheSchemaRequirementBack() throws IOException {
        DeploymentRecord read = codec.decode(codec.encode(base.withSafety(SafetyFacts.all())), FILE);

        assertThat(SchemaJson.requirement(read.safety().schemaJson().orElseThrow()))
                .isEqualTo(SchemaJson.requirement(SafetyFacts.schema()));
    }

    @Test
    void anOlderFormatCannotHoldFactsAndWithSafetyWritesFormat3() {
        DeploymentRecord format2 = new DeploymentRecord(2, base.build(), base.target(), base.workloads(),
                base.manifests(), base.strategy(), base.gateEvidence(), base.outcome(), base.startedAt(), base.finishedAt());

        assertThatThrownBy(() -> new DeploymentRecord(2, base.build(), base.target(), base.workloads(), base.manifests(),
                base.strategy(), base.gateEvidence(), base.outcome(), base.startedAt(), base.finishedAt(),
                SafetyFacts.all())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("record format 2 cannot hold", "write format 3");
        assertThat(format2.withSafety(SafetyFacts.all()).formatVersion()).isEqualTo(3);
        assertThat(format2.withSafety(RecordSafety.NONE).formatVersion()).isEqualTo(2);
    }

    static Stream<Arguments> badFacts() {
        return Stream.of(
                bad("schema version not Flyway's", () -> RecordSafety.NONE.withSchema(
                        SafetyFacts.schema().put("ranWith", "v1-beta")), "schema.ranWith", "v1-beta"),
                bad("schema an array", () -> new RecordSafety("[1]", null, null, null), "schema", "[1]"),
                bad("schema with an extra field", () -> RecordSafety.NONE.withSchema(
                        SafetyFacts.schema().put("owner", "x")), "schema.owner", "not a field"),
                bad("unknown decision", () -> RecordSafety.NONE.withSchemaCheck(
                        SafetyFacts.schemaCheck().put("decision", "MAYBE")), "schemaCheck.decision", "MAYBE"),
                bad("override that does not proceed", () -> RecordSafety.NONE.withSchemaCheck(
                        SafetyFacts.schemaCheck().put("proceeds", false)), "schemaCheck.proceeds", "false"),
                bad("migration of no kind", () -> RecordSafety.NONE.withSchemaCheck(kind(SafetyFacts.schemaCheck(),
                        "SIDEWAYS")), "schemaCheck.migrations[0].kind", "SIDEWAYS"),
                bad("override without a reason", () -> RecordSafety.NONE.withSchemaCheck(without(
                        SafetyFacts.schemaCheck(), "override", "reason")), "schemaCheck.override.reason", "nothing"),
                bad("exit code as text", () -> RecordSafety.NONE.withRecovery(
                        SafetyFacts.recovery().put("exitCode", "zero")), "recovery.exitCode", "zero"),
                bad("recovery time not an instant", () -> RecordSafety.NONE.withRecovery(
                        SafetyFacts.recovery().put("startedAt", "yesterday")), "recovery.startedAt", "yesterday"),
                bad("flag state as text", () -> RecordSafety.NONE.withFlags(flag(SafetyFacts.flagStates(),
                        "enabled", "off")), "flags.flags[0].enabled", "off"),
                bad("flag without a name", () -> RecordSafety.NONE.withFlags(flag(SafetyFacts.flagStates(),
                        "flag", " ")), "flags.flags[0].flag", "\" \""),
                bad("flags without a store", () -> RecordSafety.NONE.withFlags(without(SafetyFacts.flagStates(),
                        null, "store")), "flags.store", "nothing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFacts")
    void refusesABadFactNamingTheFieldAndTheValue(String name, Runnable build, String field, String value) {
        assertThatThrownBy(build::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(field, value);
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                tamper("a flag turned back on", s -> s.replace("\"enabled\":false", "\"enabled\":true"),
                        RecordCodec.SELF_HASH),
                tamper("the override's author", s -> s.replace("\"by\":\"alice\"", "\"by\":\"mallory\""),
                        RecordCodec.SELF_HASH),
                tamper("a schema version made unreadable", s -> s.replace("\"ranWith\":\"3\"", "\"ranWith\":\"v1-beta\""),
                        "schema.ranWith"),
                tamper("a fact that is not an object", s -> s.replace("\"recovery\":{", "\"recovery\":[{")
                        .replace(",\"startedAt\":\"2026-12-04T13:00:00Z\"}", ",\"startedAt\":\"2026-12-04T13:00:00Z\"}]"),
                        "recovery"),
                tamper("the format lowered below the facts", s -> s.replace("\"formatVersion\":3", "\"formatVersion\":2"),
                        "not part of record format 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void detectsATamperedFactLikeAnyOtherEdit(String name, UnaryOperator<String> edit, String named) {
        String original = new String(codec.encode(base.withSafety(SafetyFacts.all())), StandardCharsets.UTF_8);
        String tampered = edit.apply(original);
        assertThat(tampered).as("the edit applies").isNotEqualTo(original);

        assertThatThrownBy(() -> codec.decode(tampered.getBytes(StandardCharsets.UTF_8), FILE))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContainingAll(FILE, named);
    }

    private static Arguments bad(String name, Runnable build, String field, String value) {
        return Arguments.of(name, build, field, value);
    }

    private static Arguments tamper(String name, UnaryOperator<String> edit, String named) {
        return Arguments.of(name, edit, named);
    }

    private static ObjectNode kind(ObjectNode check, String kind) {
        ((ObjectNode) check.get("migrations").get(0)).put("kind", kind);
        return check;
    }

    private static ObjectNode flag(ObjectNode flags, String field, String value) {
        ((ObjectNode) flags.get("flags").get(0)).put(field, value);
        return flags;
    }

    private static ObjectNode without(ObjectNode node, String inside, String field) {
        ((ObjectNode) (inside == null ? node : node.get(inside))).remove(field);
        return node;
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = RecordSafetyTest.class.getResourceAsStream(name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        }
    }
}
