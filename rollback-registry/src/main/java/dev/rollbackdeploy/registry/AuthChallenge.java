package dev.rollbackdeploy.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge from a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters, e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"}.
 * Quoted values may hold commas (a scope with {@code pull,push}), so the header is tokenized, not split.
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** Picks the challenge we can answer, preferring Bearer over Basic. */
    static Optional<AuthChallenge> choose(List<String> headerValues) {
        List<AuthChallenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all.stream().filter(AuthChallenge::isBearer).findFirst()
                .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst());
    }

    /** Parses one header value, which may carry several challenges. Unparseable tails are ignored. */
    static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> out = new ArrayList<>();
        Cursor in = new Cursor(header == null ? "" : header);
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            in.skip(" \t,");
            if (in.atEnd()) {
                break;
            }
            String token = in.token();
            if (token.isEmpty()) {
                break; // a character no grammar allows here: stop rather than guess
            }
            in.skip(" \t");
            if (in.peek() == '=' && scheme != null) {
                in.next();
                in.skip(" \t");
                params.put(token.toLowerCase(Locale.ROOT), in.peek() == '"' ? in.quoted() : in.token());
            } else {
                if (scheme != null) {
                    out.add(new AuthChallenge(scheme, params));
                }
                scheme = token;
                params = new LinkedHashMap<>();
            }
        }
        if (scheme != null) {
            out.add(new AuthChallenge(scheme, params));
        }
        return out;
    }

    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(at);
        }

        void next() {
            at++;
        }

        void skip(String chars) {
            while (!atEnd() && chars.indexOf(peek()) >= 0) {
                at++;
            }
        }

        String token() {
            int start = at;
            while (!atEnd() && " \t,=\"".indexOf(peek()) < 0) {
                at++;
            }
            return text.substring(start, at);
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            at++; // opening quote
            while (!atEnd() && peek() != '"') {
                if (peek() == '\\' && at + 1 < text.length()) {
                    at++;
                }
                out.append(peek());
                at++;
            }
            at++; // closing quote, if any
            return out.toString();
        }
    }
}
