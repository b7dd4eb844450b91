package dev.rollbackdeploy.plan;

import java.util.List;

/** A plan was asked to run although it refuses to; the message lists every reason and the way out. */
public final class PlanRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PlanRefusedException(List<String> refusals) {
        super("restore refused: " + String.join("; ", refusals));
    }
}
