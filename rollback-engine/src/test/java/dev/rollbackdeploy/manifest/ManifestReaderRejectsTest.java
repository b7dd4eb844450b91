package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is answered at the door, with source, document, field and value in the message. */
class ManifestReaderRejectsTest {

    private static final String CONFIG_A = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    private static final String CONFIG_B = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";

    static Stream<Arguments> badInputs() {
        return Stream.of(
                row("malformed YAML", ManifestLimits.DEFAULTS, CONFIG_A + "---\n" + CONFIG_B + "data: [1, 2\n",
                        "<input> document 2", "malformed YAML", "line 11, column 1"),
                row("malformed YAML indentation", ManifestLimits.DEFAULTS, CONFIG_A + "   data: x\n",
                        "<input> document 1", "malformed YAML", "line 5"),
                row("malformed JSON", ManifestLimits.DEFAULTS, "{\"apiVersion\": \"v1\",\n \"kind\": }",
                        "<input> document 1", "malformed JSON at line 2"),
                row("billion laughs", ManifestLimits.DEFAULTS, billionLaughs(),
                        "<input> document 1 (line 7)", "maxAliasesPerDocument=50", "'*lol1'"),
                row("input over the size limit", ManifestLimits.DEFAULTS.withMaxInputBytes(64), CONFIG_A + CONFIG_B,
                        "<input>", "maxInputBytes=64", "is " + (CONFIG_A + CONFIG_B).length() + " bytes"),
                row("too many documents", ManifestLimits.DEFAULTS.withMaxDocuments(2),
                        CONFIG_A + "---\n" + CONFIG_B + "---\n---\n", "<input> document 3", "maxDocuments=2"),
                row("too deep nesting", ManifestLimits.DEFAULTS, CONFIG_A + "data: " + "[".repeat(70) + "]".repeat(70),
                        "<input> document 1 (line 5)", "maxNestingDepth=64"),
                row("too deep once an alias is expanded", ManifestLimits.DEFAULTS.withMaxNestingDepth(8),
                        CONFIG_A + "x: &deep [[[[[1]]]]]\ny: {a: {b: {c: *deep}}}\n",
                        "<input> document 1 (line 6)", "maxNestingDepth=8"),
                row("too many code points in a document", ManifestLimits.DEFAULTS.withMaxCodePointsPerDocument(40),
                        CONFIG_A + "data: {k: " + "v".repeat(100) + "}\n", "<input> document 1",
                        "maxCodePointsPerDocument", "40 code points"),
                row("duplicate kind and name", ManifestLimits.DEFAULTS, CONFIG_A + "---\n" + CONFIG_B + "---\n" + CONFIG_A,
                        "<input> document 3 (line 11)", "duplicate object ConfigMap/a",
                        "first defined in <input> document 1 (line 1)"),
                row("missing kind", ManifestLimits.DEFAULTS, "apiVersion: v1\nmetadata:\n  name: a\n",
                        "<input> document 1 (line 1)", "missing kind"),
                row("kind not a string", ManifestLimits.DEFAULTS, "apiVersion: v1\nkind: [a]\nmetadata:\n  name: a\n",
                        "<input> document 1", "kind must be a string, got a sequence"),
                row("missing apiVersion", ManifestLimits.DEFAULTS, "kind: ConfigMap\nmetadata:\n  name: a\n",
                        "<input> document 1", "missing apiVersion"),
                row("missing metadata.name", ManifestLimits.DEFAULTS,
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: shop\n",
                        "<input> document 1", "missing metadata.name"),
                row("generateName instead of name", ManifestLimits.DEFAULTS,
                        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n",
                        "<input> document 1", "missing metadata.name", "generateName"),
                row("missing metadata", ManifestLimits.DEFAULTS, "apiVersion: v1\nkind: ConfigMap\n",
                        "<input> document 1", "missing metadata.name"),
                row("bad name", ManifestLimits.DEFAULTS, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Web_1\n",
                        "<input> document 1", "metadata.name of ConfigMap", "'Web_1'"),
                row("bad namespace", ManifestLimits.DEFAULTS, CONFIG_A + "  namespace: Shop\n",
                        "<input> document 1", "namespace", "'Shop'"),
                row("a sequence document", ManifestLimits.DEFAULTS, CONFIG_A + "---\n- a\n- b\n",
                        "<input> document 2 (line 6)", "document is a sequence, not a mapping"),
                row("a scalar document", ManifestLimits.DEFAULTS, "just some text\n",
                        "<input> document 1", "document is a string 'just some text', not a mapping"),
                row("a key twice in one mapping", ManifestLimits.DEFAULTS, CONFIG_A + "  name: b\n",
                        "<input> document 1", "line 5", "Duplicate field 'name'"),
                row("a key twice in one JSON object", ManifestLimits.DEFAULTS,
                        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n"
                                + "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"kind\": \"Secret\"}",
                        "<input> document 2 (line 3)", "duplicate key 'kind'"),
                row("a merge key", ManifestLimits.DEFAULTS, CONFIG_A + "data:\n  <<: {a: b}\n",
                        "<input> document 1", "merge keys ('<<')"),
                row("an undefined alias", ManifestLimits.DEFAULTS, CONFIG_A + "data: {a: *nowhere}\n",
                        "<input> document 1 (line 5)", "alias '*nowhere'"),
                row("an infinite number", ManifestLimits.DEFAULTS, CONFIG_A + "spec: {x: .inf}\n",
                        "<input> document 1", "number '.inf' is not finite"),
                row("binary value", ManifestLimits.DEFAULTS, CONFIG_A + "binaryData: {k: !!binary aGVsbG8=}\n",
                        "<input> document 1", "!!binary"),
                row("a List item that is not a mapping", ManifestLimits.DEFAULTS,
                        "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- 42\n",
                        "<input> document 1", "items[1]", "not a mapping"),
                row("a List item without a kind", ManifestLimits.DEFAULTS,
                        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata: {name: a}\n",
                        "<input> document 1", "items[0]: missing kind"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputNamingWhereAndWhat(String name, ManifestLimits limits, String input, String[] fragments) {
        ManifestReader reader = new ManifestReader(limits);

        assertThatThrownBy(() -> reader.read(input))
                .isInstanceOf(ManifestException.class)
                .hasMessageContainingAll(fragments);
    }

    @Test
    void neverQuotesTheSourceLineOfAMalformedSecret() {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
                + "  password: hunter2-very-secret: oops\n";

        assertThatThrownBy(() -> new ManifestReader().read(secret))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("malformed YAML")
                .hasMessageContaining("line 6")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsAnInputOverTheLimitWithoutParsingIt() {
        byte[] huge = new byte[(int) ManifestLimits.DEFAULTS.maxInputBytes() + 1];

        assertThatThrownBy(() -> new ManifestReader().read("big.yaml", huge))
                .isInstanceOf(ManifestException.class)
                .hasMessage("big.yaml: input exceeds maxInputBytes=8388608 (big.yaml is 8388609 bytes)");
    }

    @Test
    void acceptsAliasesWithinTheLimitAndExpandsThem() {
        String anchored = CONFIG_A + "data:\n  first: &v shared\n  second: *v\n";

        ManifestSet set = new ManifestReader().read(anchored);

        assertThat(set.objects().get(0).canonicalJson())
                .contains("\"data\":{\"first\":\"shared\",\"second\":\"shared\"}");
    }

    @Test
    void countsNestedAliasesEachTimeTheyAreExpanded() {
        // 3 aliases to a node holding 3 aliases: 3 * (1 + 3) = 12 expansions.
        String nested = CONFIG_A + "x: &a [v]\ny: &b [*a, *a, *a]\nz: [*b, *b, *b]\n";

        assertThat(new ManifestReader(ManifestLimits.DEFAULTS.withMaxAliasesPerDocument(15)).read(nested).size())
                .isEqualTo(1);
        assertThatThrownBy(() -> new ManifestReader(ManifestLimits.DEFAULTS.withMaxAliasesPerDocument(14))
                .read(nested.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("maxAliasesPerDocument=14");
    }

    private static String billionLaughs() {
        StringBuilder yaml = new StringBuilder(CONFIG_A).append("lol0: &lol0 \"lol\"\n");
        for (int level = 1; level <= 9; level++) {
            yaml.append("lol").append(level).append(": &lol").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ", ").append("*lol").append(level - 1);
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    private static Arguments row(String name, ManifestLimits limits, String input, String... fragments) {
        return Arguments.of(name, limits, input, fragments);
    }
}
