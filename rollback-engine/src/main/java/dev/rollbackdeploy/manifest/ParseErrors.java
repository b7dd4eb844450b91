package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns parser failures into {@link ManifestException}s. We build the message from the parser's
 * problem and position only: snakeyaml's own message quotes the offending source line, and a
 * malformed Secret must not end up in a build log.
 */
final class ParseErrors {

    private ParseErrors() {
    }

    static ManifestException translate(Exception e, String source, int document, boolean isJson) {
        String format = isJson ? "JSON" : "YAML";
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
                String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
                String context = marked.getContext() != null && marked.getProblem() != null
                        ? " (" + marked.getContext() + ")" : "";
                return at(source, document, mark, "malformed YAML: " + problem + context, e);
            }
            if (cause instanceof YAMLException yamlError && yamlError.getMessage() != null
                    && yamlError.getMessage().contains("code points")) {
                return new ManifestException(ManifestException.where(source, document, 0)
                        + ": document exceeds maxCodePointsPerDocument: " + yamlError.getMessage(), e);
            }
            if (cause instanceof StreamConstraintsException limit) {
                return new ManifestException(ManifestException.where(source, document, 0)
                        + ": parser limit exceeded: " + limit.getOriginalMessage(), e);
            }
        }
        if (e instanceof JsonProcessingException parse) {
            JsonLocation location = parse.getLocation();
            String position = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new ManifestException(ManifestException.where(source, document, 0) + ": malformed " + format
                    + position + ": " + firstLine(parse.getOriginalMessage()), e);
        }
        return new ManifestException(ManifestException.where(source, document, 0) + ": malformed " + format + ": "
                + e.getClass().getSimpleName(), e);
    }

    private static ManifestException at(String source, int document, Mark mark, String detail, Exception e) {
        String position = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        return new ManifestException(ManifestException.where(source, document, 0) + ": " + detail + position, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
