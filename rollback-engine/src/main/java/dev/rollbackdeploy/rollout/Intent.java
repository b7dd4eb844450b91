package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.traffic.Weight;
import java.time.Instant;

/** One thing the shell must do, in order, before calling {@link Progression#next} again. */
public sealed interface Intent {

    /** Scale the stable version back to full size if needed and wait until it is ready. No traffic moves. */
    record EnsureStableReady() implements Intent {
    }

    /** Set the canary's share of new requests, and confirm it. */
    record SetCanaryWeight(Weight weight) implements Intent {
    }

    /** Take one look of the named gate and report its answer. */
    record RunGate(String name) implements Intent {
    }

    /** Scale the canary down (after an abort). */
    record ScaleDownCanary() implements Intent {
    }

    /** Blue-green: point the active service at the preview (promote) or back at the previous version. */
    record SwitchActive(Side to) implements Intent {
    }

    /** Blue-green: scale the previous version down; the warm window is over. */
    record ScaleDownPrevious() implements Intent {
    }

    /** Put the previous recorded release back (RestorePlanner): the new version is no longer warm-switchable. */
    record RestorePreviousRecord() implements Intent {
    }

    /** Nothing to do before this time (or before a person acts, when {@code until} is null). */
    record WaitUntil(Instant until) implements Intent {
    }

    /** The rollout has ended this way. */
    record Done(Phase outcome, String reason) implements Intent {
    }

    enum Side { PREVIEW, PREVIOUS }
}
