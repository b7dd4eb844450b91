package dev.rollbackdeploy.record;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rollbackdeploy.manifest.Canonicalizer;
import java.nio.charset.StandardCharsets;

/**
 * How the record format reads and writes JSON. Writing is the manifest {@link Canonicalizer}'s value
 * form, so a record and the manifest objects it embeds share one definition of canonical bytes: a
 * second writer would refuse, one day, an object whose hash the other produced.
 */
final class CanonicalJson {

    /** Strict reader: duplicate keys and trailing content are refused, decimals keep every digit. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private CanonicalJson() {
    }

    /** The one canonical form of the engine (sorted keys, normalised numbers, minimal escapes). */
    static String write(JsonNode node) {
        return new String(Canonicalizer.canonicalValueBytes(node), StandardCharsets.UTF_8);
    }
}
