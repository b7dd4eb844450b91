package dev.rollbackdeploy.plan;

import java.util.List;

/**
 * What a restore would do, in order, with the diff it answers and anything it refuses to do.
 * An empty plan means the target is already live: executing it makes no writes.
 *
 * @param actions   steps in execution order
 * @param diff      live versus target, for people
 * @param refusals  why this plan must not run as it is (e.g. "recreate needed"); empty when it may
 * @param notes     things the user should know that block nothing (e.g. extra live objects kept)
 */
public record Plan(List<Action> actions, ReleaseDiff diff, List<String> refusals, List<String> notes) {

    public Plan {
        actions = List.copyOf(actions);
        refusals = List.copyOf(refusals);
        notes = List.copyOf(notes);
    }

    /** Nothing to do: live already matches. */
    public boolean isEmpty() {
        return actions.isEmpty() && refusals.isEmpty();
    }

    public boolean isExecutable() {
        return refusals.isEmpty();
    }

    /**
     * @throws PlanRefusedException listing every refusal, when the plan must not run
     */
    public Plan requireExecutable() throws PlanRefusedException {
        if (!refusals.isEmpty()) {
            throw new PlanRefusedException(refusals);
        }
        return this;
    }

    /** Plain text: the diff, then the numbered actions, refusals and notes. */
    public String render() {
        StringBuilder out = new StringBuilder(diff.render());
        if (actions.isEmpty()) {
            out.append("Plan: nothing to do (0 writes).\n");
        } else {
            out.append("Plan (").append(actions.size()).append(" steps):\n");
            for (int i = 0; i < actions.size(); i++) {
                out.append(String.format("  %2d. %s%n", i + 1, actions.get(i).describe()));
            }
        }
        refusals.forEach(r -> out.append("REFUSED: ").append(r).append('\n'));
        notes.forEach(n -> out.append("Note: ").append(n).append('\n'));
        return out.toString();
    }
}
