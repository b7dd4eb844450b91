package dev.rollbackdeploy.record;

import java.io.IOException;
import java.util.Optional;

/**
 * A stored record cannot be trusted: truncated or malformed JSON, a missing or bad field, or a hash
 * that does not match the content. Names the file (when known), the field and what is wrong. A
 * reader that sees this has read nothing: no partial record is ever returned.
 */
public final class CorruptRecordException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;

    public CorruptRecordException(String source, String field, String problem) {
        this(source, field, problem, null);
    }

    public CorruptRecordException(String source, String field, String problem, Throwable cause) {
        super("corrupt deployment record " + (source == null ? "(no file)" : source) + ": "
                + (field == null || field.isEmpty() ? "" : "field '" + field + "' ") + problem, cause);
        this.source = source;
        this.field = field;
    }

    /** The file (or other source) the record was read from, if known. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** The JSON path of the bad field, e.g. {@code workloads[0].digest}; empty for the document. */
    public String field() {
        return field == null ? "" : field;
    }
}
