package dev.rollbackdeploy.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outer layer of a Prometheus API answer: {@code {"status": "success"|"error", "data": ...,
 * "errorType": ..., "error": ..., "warnings": [...]}}, or something that is not that at all.
 */
final class ApiEnvelope {

    /** Either the {@code data} of a successful answer, or why there is none. */
    sealed interface Parsed {
    }

    record Data(JsonNode data, List<String> warnings) implements Parsed {
    }

    record Unusable(String reason) implements Parsed {
    }

    // Timestamps are decimal seconds with millisecond digits: keep them exact instead of via double.
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int SNIPPET = 160;

    private ApiEnvelope() {
    }

    static Parsed parse(byte[] body, String contentType) {
        if (body.length == 0) {
            return new Unusable("the answer body is empty, expected Prometheus JSON");
        }
        if (looksLikeHtml(body, contentType)) {
            return new Unusable("the answer is an HTML page (" + snippet(body)
                    + "), not Prometheus JSON: a proxy or login page answered; check baseUrl");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Unusable("the answer is not valid JSON, perhaps truncated (" + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset() + " of " + body.length + ")");
        } catch (IOException e) {
            return new Unusable("the answer could not be read as JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            return new Unusable("the answer is JSON but not a Prometheus API object: " + snippet(body));
        }
        String status = root.path("status").asText("");
        if ("error".equals(status)) {
            return new Unusable("Prometheus answered error " + errorOf(root));
        }
        if (!"success".equals(status)) {
            return new Unusable("the answer has status \"" + status + "\", expected \"success\": " + snippet(body));
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return new Unusable("the answer has status success but no data object");
        }
        return new Data(data, warnings(root));
    }

    /** Prometheus' own error text in an answer, if the body is its JSON: "(bad_data) parse error ...". */
    static Optional<String> errorMessage(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.hasNonNull("error")) {
                return Optional.of(errorOf(root));
            }
        } catch (IOException e) {
            // Not JSON: the caller describes the body in another way.
        }
        return Optional.empty();
    }

    static boolean looksLikeHtml(byte[] body, String contentType) {
        if (contentType.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            return true;
        }
        String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).stripLeading();
        return start.startsWith("<");
    }

    /** The first characters of a body, on one line, for a message a person can recognise. */
    static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 4 * SNIPPET), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "empty body";
        }
        return "\"" + (text.length() > SNIPPET ? text.substring(0, SNIPPET) + "…" : text) + "\"";
    }

    private static String errorOf(JsonNode root) {
        return "(" + root.path("errorType").asText("unknown") + "): " + root.path("error").asText("no message");
    }

    private static List<String> warnings(JsonNode root) {
        List<String> out = new ArrayList<>();
        root.path("warnings").forEach(w -> out.add(w.asText()));
        return List.copyOf(out);
    }
}
