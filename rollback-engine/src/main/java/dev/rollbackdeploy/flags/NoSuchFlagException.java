package dev.rollbackdeploy.flags;

import java.io.IOException;

/** The flag does not exist in the store (a typo, or another project or environment). Nothing was changed. */
public final class NoSuchFlagException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoSuchFlagException(String flag, String store) {
        super("flag '" + flag + "' does not exist in " + store + "; check the name, project and environment");
    }
}
