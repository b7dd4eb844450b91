package dev.rollbackdeploy.record;

import java.io.IOException;

/**
 * The record was written by a newer rollback-deploy in a format this one does not understand. Not
 * corruption: upgrading the plugin makes it readable.
 */
public final class UnsupportedRecordFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int formatVersion;

    public UnsupportedRecordFormatException(String source, int formatVersion) {
        super((source == null ? "" : source + ": ") + "record format " + formatVersion
                + " is newer than this plugin understands (max " + DeploymentRecord.CURRENT_FORMAT
                + "): upgrade rollback-deploy");
        this.formatVersion = formatVersion;
    }

    public int formatVersion() {
        return formatVersion;
    }
}
