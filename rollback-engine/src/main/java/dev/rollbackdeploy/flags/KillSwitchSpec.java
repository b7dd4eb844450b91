package dev.rollbackdeploy.flags;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which flags an abort or a rollback turns off, and whether that replaces moving traffic or comes
 * first. Declared in the step or spec; validated at the door.
 *
 * @param flags the flags to turn off, in order, none twice
 * @param mode  {@link Mode#BEFORE_TRAFFIC}: flags off, then traffic back to stable (the default);
 *              {@link Mode#INSTEAD_OF_TRAFFIC}: flags off and traffic stays (for releases that only
 *              add code paths behind the flags)
 */
public record KillSwitchSpec(List<String> flags, Mode mode) {

    public enum Mode { BEFORE_TRAFFIC, INSTEAD_OF_TRAFFIC }

    public KillSwitchSpec {
        if (flags == null || flags.isEmpty()) {
            throw new IllegalArgumentException("a kill switch needs one or more flags, got " + flags);
        }
        Set<String> seen = new HashSet<>();
        for (String flag : flags) {
            if (!seen.add(FlagState.requireName(flag))) {
                throw new IllegalArgumentException("kill switch flags must not repeat, got '" + flag + "' twice");
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("kill switch mode must be BEFORE_TRAFFIC or INSTEAD_OF_TRAFFIC, got null");
        }
        flags = List.copyOf(flags);
    }

    /** Whether traffic still has to move after the flags are off. */
    public boolean movesTraffic() {
        return mode == Mode.BEFORE_TRAFFIC;
    }
}
