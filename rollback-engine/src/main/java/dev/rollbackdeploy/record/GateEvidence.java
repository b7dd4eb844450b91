package dev.rollbackdeploy.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.gate.Evidence;
import java.util.Map;

/**
 * What one gate look saw and decided ({@link Evidence}: query, values, counts, statistic, bound,
 * verdict), stored as a JSON object. Held as canonical text, so it is immutable and two equal
 * evidences are equal strings.
 */
public record GateEvidence(String canonicalJson) {

    public GateEvidence {
        if (canonicalJson == null) {
            throw new IllegalArgumentException("gate evidence must be a JSON object, got null");
        }
        JsonNode parsed = parse(canonicalJson);
        if (!parsed.isObject()) {
            throw new IllegalArgumentException("gate evidence must be a JSON object, got " + parsed.getNodeType()
                    + " '" + canonicalJson + "'");
        }
        canonicalJson = CanonicalJson.write(parsed);
    }

    /** Evidence from a JSON tree; the tree is copied, so later changes to it do not leak in. */
    public static GateEvidence of(JsonNode json) {
        if (json == null) {
            throw new IllegalArgumentException("gate evidence must be a JSON object, got null");
        }
        return new GateEvidence(CanonicalJson.write(json));
    }

    /** The record form of one look's evidence. */
    public static GateEvidence of(Evidence evidence) {
        return of(CanonicalJson.STRICT.valueToTree(evidence.toMap()));
    }

    /** This evidence as the gate's type. */
    @SuppressWarnings("unchecked")
    public Evidence evidence() {
        return Evidence.fromMap(CanonicalJson.STRICT.convertValue(json(), Map.class));
    }

    /** A fresh tree each call: changing it does not change this evidence. */
    public JsonNode json() {
        return parse(canonicalJson);
    }

    private static JsonNode parse(String text) {
        try {
            return CanonicalJson.STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("gate evidence must be valid JSON, got '" + text + "': "
                    + e.getOriginalMessage(), e);
        }
    }
}
