package dev.rollbackdeploy.manifest;

/**
 * A manifest that cannot be read, canonicalized or pinned. Unchecked, like the engine's other
 * bad-input errors: the caller can do nothing but show the message, which names where (source
 * file or {@code <input>}, 1-based document, line when known), the field and the value at fault.
 * Messages never echo YAML source lines, which may hold secrets.
 */
public final class ManifestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code source document n (line l): detail}; document 0 means the input as a whole. */
    static ManifestException at(String source, int document, int line, String detail) {
        return new ManifestException(where(source, document, line) + ": " + detail);
    }

    static String where(String source, int document, int line) {
        StringBuilder out = new StringBuilder(source);
        if (document > 0) {
            out.append(" document ").append(document);
        }
        if (line > 0) {
            out.append(" (line ").append(line).append(')');
        }
        return out.toString();
    }
}
