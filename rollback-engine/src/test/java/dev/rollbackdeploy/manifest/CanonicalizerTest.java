package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalizerTest {

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectMapper PLAIN = new ObjectMapper();

    static Stream<Arguments> values() {
        return Stream.of(
                row("keys sorted at every level", "{\"b\":1,\"a\":{\"d\":1,\"c\":2,\"C\":3}}",
                        "{\"a\":{\"C\":3,\"c\":2,\"d\":1},\"b\":1}"),
                row("whitespace dropped", "{ \"a\" : [ 1 , 2 ] ,\n \"b\" : null }", "{\"a\":[1,2],\"b\":null}"),
                row("array order kept", "[3,1,2]", "[3,1,2]"),
                row("1.0 is 1", "[1.0, 1.00, 1]", "[1,1,1]"),
                row("trailing zeros stripped", "[2.50, 0.10]", "[2.5,0.1]"),
                row("exponent written plain", "[1e2, 1.5E3, 1e-7]", "[100,1500,0.0000001]"),
                row("negative zero is zero", "[-0.0, -0]", "[0,0]"),
                row("big integers exact", "[123456789012345678901234567890, -9223372036854775809]",
                        "[123456789012345678901234567890,-9223372036854775809]"),
                row("huge exponents stay short", "[1e200, 2.5e-300]", "[1E200,25E-301]"),
                row("booleans and null", "[true,false,null]", "[true,false,null]"),
                row("minimal escapes", "[\"q\\\" b\\\\ n\\n t\\t r\\r f\\f b\\b c\\u0001 s\\/\"]",
                        "[\"q\\\" b\\\\ n\\n t\\t r\\r f\\f b\\b c\\u0001 s/\"]"),
                row("non-ASCII raw", "[\"caf\\u00e9 \\u20ac \\ud83d\\ude80\"]", "[\"café € \uD83D\uDE80\"]"),
                row("unpaired surrogate escaped", "[\"a\\ud800b\"]", "[\"a\\ud800b\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void writesOneSpellingPerValue(String name, String input, String expected) throws IOException {
        byte[] canonical = Canonicalizer.canonicalValueBytes(EXACT.readTree(input));

        assertThat(new String(canonical, StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(Canonicalizer.canonicalValueBytes(EXACT.readTree(canonical))).isEqualTo(canonical);
    }

    @Test
    void readsDoublesFromAPlainMapperByTheirShortestDecimal() throws JsonProcessingException {
        JsonNode doubles = PLAIN.readTree("[0.1, 1.0, 2.50, 1e21]");

        assertThat(new String(Canonicalizer.canonicalValueBytes(doubles), StandardCharsets.UTF_8))
                .isEqualTo("[0.1,1,2.5,1000000000000000000000]");
    }

    @Test
    void stripsServerOwnedFieldsAndOwnAnnotationsOnlyWhereKubernetesPutsThem() throws JsonProcessingException {
        JsonNode object = EXACT.readTree("""
                {"apiVersion": "v1", "kind": "ConfigMap", "status": {"phase": "x"},
                 "metadata": {"name": "a", "uid": "u", "resourceVersion": "1", "generation": 2,
                   "creationTimestamp": "t", "managedFields": [], "selfLink": "/x",
                   "labels": {"uid": "kept"},
                   "annotations": {"rollback-deploy.io/build-ref": "b#1", "team": "payments",
                     "kubectl.kubernetes.io/last-applied-configuration": "{}"}},
                 "data": {"status": "kept", "metadata": {"uid": "kept"}}}
                """);

        assertThat(new String(Canonicalizer.canonicalBytes(object), StandardCharsets.UTF_8)).isEqualTo(
                "{\"apiVersion\":\"v1\",\"data\":{\"metadata\":{\"uid\":\"kept\"},\"status\":\"kept\"},"
                        + "\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{\"team\":\"payments\"},"
                        + "\"labels\":{\"uid\":\"kept\"},\"name\":\"a\"}}");
    }

    @Test
    void dropsAnAnnotationsMapLeftEmpty() throws JsonProcessingException {
        JsonNode object = EXACT.readTree("{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\","
                + " \"annotations\": {\"rollback-deploy.io/template-hash\": \"sha256:x\"}}}");

        assertThat(new String(Canonicalizer.canonicalBytes(object), StandardCharsets.UTF_8))
                .isEqualTo("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}");
    }

    @Test
    void doesNotModifyItsInput() throws JsonProcessingException {
        JsonNode object = EXACT.readTree("{\"status\": 1, \"metadata\": {\"uid\": \"u\", \"name\": \"a\"}}");
        JsonNode before = object.deepCopy();

        Canonicalizer.canonicalBytes(object);

        assertThat(object).isEqualTo(before);
    }

    @Test
    void refusesAnObjectThatIsNotAMapping() throws JsonProcessingException {
        JsonNode array = EXACT.readTree("[1]");

        assertThatThrownBy(() -> Canonicalizer.canonicalBytes(array))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Kubernetes object must be a mapping, got ARRAY");
    }

    @Test
    void refusesNonFiniteDoubles() {
        JsonNode nan = PLAIN.getNodeFactory().arrayNode().add(Double.NaN);

        assertThatThrownBy(() -> Canonicalizer.canonicalValueBytes(nan))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN is not finite");
    }

    private static Arguments row(String name, String input, String expected) {
        return Arguments.of(name, input, expected);
    }
}
