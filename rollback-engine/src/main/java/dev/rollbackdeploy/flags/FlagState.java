package dev.rollbackdeploy.flags;

import java.util.regex.Pattern;

/** A feature flag's name and whether it is on, in one store's environment. */
public record FlagState(String flag, boolean enabled) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    public FlagState {
        requireName(flag);
    }

    /**
     * @throws IllegalArgumentException naming the value and what a flag name may hold
     */
    public static String requireName(String flag) {
        if (flag == null || !NAME.matcher(flag).matches()) {
            throw new IllegalArgumentException("flag name must be 1-100 of letters, digits, '.', '_', ':' and '-' "
                    + "(starting with a letter or digit), got '" + flag + "'");
        }
        return flag;
    }
}
