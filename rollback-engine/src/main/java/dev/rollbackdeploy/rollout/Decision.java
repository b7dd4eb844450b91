package dev.rollbackdeploy.rollout;

import java.util.List;

/** The next state to keep, and the intents to carry out, in order, before calling again. */
public record Decision(RolloutState state, List<Intent> intents) {

    public Decision {
        intents = List.copyOf(intents);
    }
}
