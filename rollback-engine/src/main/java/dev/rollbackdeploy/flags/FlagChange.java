package dev.rollbackdeploy.flags;

/** What a kill switch did to one flag: its state before and after (equal when it was already off). */
public record FlagChange(String flag, boolean before, boolean after) {

    public FlagChange {
        FlagState.requireName(flag);
    }

    public boolean changed() {
        return before != after;
    }

    @Override
    public String toString() {
        return flag + " " + (before ? "on" : "off") + " -> " + (after ? "on" : "off");
    }
}
