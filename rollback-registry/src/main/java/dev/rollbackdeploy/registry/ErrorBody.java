package dev.rollbackdeploy.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an error answer said, in a form fit for an exception message. Registries answer with the
 * distribution spec's {@code {"errors":[{"code":...,"message":...}]}}; proxies and login portals in
 * front of them answer with HTML pages, which are named as such instead of dumped.
 *
 * @param codes   the spec error codes, e.g. {@code MANIFEST_UNKNOWN}; empty when none
 * @param summary a short human description of the body
 */
record ErrorBody(List<String> codes, String summary) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]{0,200})</title>",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_SNIPPET = 200;

    ErrorBody {
        codes = List.copyOf(codes);
    }

    static ErrorBody empty() {
        return new ErrorBody(List.of(), "no body");
    }

    boolean says(String code) {
        return codes.contains(code);
    }

    static ErrorBody parse(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return empty();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String trimmed = body.strip();
        if (type.contains("html") || trimmed.regionMatches(true, 0, "<!doctype html", 0, 14)
                || trimmed.regionMatches(true, 0, "<html", 0, 5)) {
            return new ErrorBody(List.of(), "an HTML page" + title(trimmed)
                    + " instead of a registry answer (a proxy or login page in front of the registry?)");
        }
        if (trimmed.startsWith("{")) {
            try {
                return fromJson(JSON.readTree(trimmed));
            } catch (IOException e) {
                return new ErrorBody(List.of(), "malformed JSON: " + snippet(trimmed));
            }
        }
        return new ErrorBody(List.of(), "'" + snippet(trimmed) + "'");
    }

    private static ErrorBody fromJson(JsonNode root) {
        JsonNode errors = root.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return new ErrorBody(List.of(), snippet(root.toString()));
        }
        List<String> codes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (JsonNode error : errors) {
            String code = error.path("code").asText("");
            String message = error.path("message").asText("");
            if (!code.isEmpty()) {
                codes.add(code);
            }
            parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
        }
        return new ErrorBody(codes, snippet(String.join("; ", parts)));
    }

    private static String title(String html) {
        Matcher m = TITLE.matcher(html);
        return m.find() ? " titled '" + m.group(1).strip() + "'" : "";
    }

    private static String snippet(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_SNIPPET ? oneLine : oneLine.substring(0, MAX_SNIPPET) + "…";
    }
}
