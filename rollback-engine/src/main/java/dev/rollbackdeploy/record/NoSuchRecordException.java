package dev.rollbackdeploy.record;

import java.io.IOException;

/** No deployment record exists for this build: it never deployed, or its record was deleted. */
public final class NoSuchRecordException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient BuildRef build;

    public NoSuchRecordException(BuildRef build, String where) {
        super("no record for " + build + " in " + where);
        this.build = build;
    }

    public BuildRef build() {
        return build;
    }
}
