package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordCodecTest {

    private static final String FILE = "/var/records/prod-shop/team%2Fshop/42.json";

    private final RecordCodec codec = new RecordCodec();
    private final DeploymentRecord record = Records.record("team/shop", 42);

    @Test
    void readsBackTheRecordItWrote() throws Exception {
        byte[] bytes = codec.encode(record);

        DeploymentRecord read = codec.decode(bytes, FILE);

        assertThat(read).isEqualTo(record);
        assertThat(read.manifests().objects()).isEqualTo(record.manifests().objects());
        assertThat(codec.encode(read)).isEqualTo(bytes);
    }

    @Test
    void writesTheSameBytesEveryTime() {
        assertThat(codec.encode(record)).isEqualTo(codec.encode(Records.record("team/shop", 42)));
        assertThat(new String(codec.encode(record), StandardCharsets.UTF_8))
                .startsWith("{\"build\":{").contains("\"formatVersion\":2").endsWith("}\n");
    }

    @Test
    void embedsEachCanonicalObjectVerbatimAsJson() {
        String json = new String(codec.encode(record), StandardCharsets.UTF_8);

        for (CanonicalObject object : record.manifests().objects()) {
            assertThat(json).contains("\"object\":" + object.canonicalJson())
                    .contains("\"hash\":\"" + object.hash() + "\"");
        }
        assertThat(json).contains("\"setHash\":\"" + record.manifests().setHash() + "\"");
    }

    @Test
    void roundTripsAnHAProxyRollback() throws Exception {
        DeploymentRecord rollback = new DeploymentRecord(1, record.build(),
                new Target.HAProxy("edge-lb", List.of(URI.create("http://lb1:5555"), URI.create("unix:///run/haproxy.sock")),
                        "shop_backend", "lb-admin"),
                List.of(), ManifestSet.empty(), new StrategySpec(StrategyKind.BLUE_GREEN, Map.of()), List.of(),
                Outcome.rolledBack("error rate 5% > 1%", new BuildRef("team/shop", 40)),
                record.startedAt(), record.finishedAt());

        assertThat(codec.decode(codec.encode(rollback), FILE)).isEqualTo(rollback);
    }

    @Test
    void refusesToEmbedAnObjectThatIsNotCanonical() {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", "loose");
        DeploymentRecord loose = new DeploymentRecord(1, record.build(), record.target(), List.of(),
                ManifestSet.of(List.of(CanonicalObject.of(key, "v1", "{\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\"}"))),
                record.strategy(), List.of(), record.outcome(), record.startedAt(), record.finishedAt());

        assertThatThrownBy(() -> codec.encode(loose))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConfigMap/shop/loose")
                .hasMessageContaining("canonical form");
    }

    static Stream<Arguments> tampering() {
        DeploymentRecord sample = Records.record("team/shop", 42);
        String digest = sample.workloads().get(0).digest().toString();
        String setHash = sample.manifests().setHash().toString();
        return Stream.of(
                row("changed image digest", json -> json.replace(digest, Records.digestOf("evil").toString()), "selfHash"),
                row("changed manifest byte", json -> json.replace("\"replicas\":3", "\"replicas\":4"),
                        "manifests.objects[2].hash"),
                row("changed set hash", json -> json.replace(setHash, Records.digestOf("x").toString()),
                        "manifests.setHash"),
                row("changed outcome", json -> json.replace("\"PROMOTED\"", "\"DEPLOYED\""), "selfHash"),
                row("removed field", json -> json.replace("\"actor\":\"alice\",", ""), "build.actor"),
                row("added field", json -> json.replace("{\"build\":{", "{\"note\":\"hi\",\"build\":{"), "note"),
                row("duplicated field", json -> json.replace("\"actor\":\"alice\"", "\"actor\":\"alice\",\"actor\":\"eve\""),
                        "Duplicate field 'actor'"),
                row("bad digest text", json -> json.replace(digest, "sha256:abc"), "workloads[0].digest"),
                row("unknown outcome", json -> json.replace("\"PROMOTED\"", "\"WON\""), "outcome.status"),
                row("string for a number", json -> json.replace("\"number\":42", "\"number\":\"42\""), "build.number"),
                row("emptied file", json -> "", "no content"),
                row("self hash removed", json -> json.replaceAll(",\"selfHash\":\"[^\"]*\"", ""), "selfHash"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tampering")
    void detectsTamperingNamingTheFileAndField(UnaryOperator<String> tamper, String field) {
        String original = new String(codec.encode(record), StandardCharsets.UTF_8);
        String tampered = tamper.apply(original);
        assertThat(tampered).isNotEqualTo(original);

        assertThatThrownBy(() -> codec.decode(tampered.getBytes(StandardCharsets.UTF_8), FILE))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining(FILE)
                .hasMessageContaining(field);
    }

    @Test
    void asksForAnUpgradeOnANewerFormat() {
        String newer = new String(codec.encode(record), StandardCharsets.UTF_8)
                .replace("\"formatVersion\":2", "\"formatVersion\":7");

        assertThatThrownBy(() -> codec.decode(newer.getBytes(StandardCharsets.UTF_8), FILE))
                .isInstanceOf(UnsupportedRecordFormatException.class)
                .hasMessage(FILE + ": record format 7 is newer than this plugin understands (max 2): upgrade rollback-deploy");
    }

    @Test
    void refusesARecordTruncatedAtAnyPoint() {
        byte[] bytes = codec.encode(record);
        // The last byte is the newline; the document without it is still whole.
        for (int length = 0; length < bytes.length - 1; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            int at = length;
            assertThatThrownBy(() -> codec.decode(truncated, FILE))
                    .as("truncated to %d of %d bytes", at, bytes.length)
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining(FILE);
        }
    }

    private static Arguments row(String name, UnaryOperator<String> tamper, String field) {
        return Arguments.of(Named.of(name, tamper), field);
    }
}
