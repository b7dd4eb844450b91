package dev.rollbackdeploy.rollout;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a rollout is. The allowed moves are one table, below; anything else is an
 * {@link IllegalTransitionException}. Staying in a phase is always allowed.
 *
 * <pre>
 *   PENDING ──► PROGRESSING ◄──► PAUSED
 *      │            │   │           │
 *      │            │   └──► PROMOTED ──► ROLLED_BACK   (rollback after promotion)
 *      └────────────┴───────┴──► ABORTING ──► ABORTED   (gate or user said no)
 *                                         └──► FAILED   (the target broke)
 * </pre>
 */
public enum Phase {
    PENDING, PROGRESSING, PAUSED, PROMOTED, ABORTING, ABORTED, ROLLED_BACK, FAILED;

    private static final Map<Phase, Set<Phase>> ALLOWED = new EnumMap<>(Phase.class);

    static {
        ALLOWED.put(PENDING, EnumSet.of(PROGRESSING, PAUSED, PROMOTED, ABORTING));
        ALLOWED.put(PROGRESSING, EnumSet.of(PAUSED, PROMOTED, ABORTING));
        ALLOWED.put(PAUSED, EnumSet.of(PROGRESSING, PROMOTED, ABORTING));
        ALLOWED.put(PROMOTED, EnumSet.of(ROLLED_BACK));
        ALLOWED.put(ABORTING, EnumSet.of(ABORTED, FAILED));
        ALLOWED.put(ABORTED, EnumSet.noneOf(Phase.class));
        ALLOWED.put(ROLLED_BACK, EnumSet.noneOf(Phase.class));
        ALLOWED.put(FAILED, EnumSet.noneOf(Phase.class));
    }

    /** The phases this one may move to (itself excluded). */
    public Set<Phase> next() {
        return Collections.unmodifiableSet(ALLOWED.get(this));
    }

    /** True when nothing more can happen: no move leads anywhere. */
    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    /**
     * @throws IllegalTransitionException when the table has no such move
     */
    public Phase moveTo(Phase target) {
        if (target != this && !ALLOWED.get(this).contains(target)) {
            throw new IllegalTransitionException(this, target);
        }
        return target;
    }
}
