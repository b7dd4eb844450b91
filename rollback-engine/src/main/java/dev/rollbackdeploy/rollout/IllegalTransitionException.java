package dev.rollbackdeploy.rollout;

/** A rollout was asked to make a move its phase table does not allow: a bug in the caller. */
public final class IllegalTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(Phase from, Phase to) {
        super("cannot go from " + from + " to " + to + ": allowed from " + from + " are " + from.next());
    }
}
