package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.kubernetes.KubernetesRollout;
import java.time.Instant;
import java.util.Map;

/**
 * A Kubernetes run's gate on Prometheus: one look per call through the engine's {@link GateProbe} (as
 * the VM run looks), its memory ({@link GateLooks}) handed in before a round and read back after it, so
 * it persists in the {@link DeployState} between rounds.
 */
final class ProbeGate implements KubernetesRollout.Gate {

    private final GateSpec spec;
    private final MetricSource metrics;
    private final boolean keepsLooking;
    private GateLooks memory;
    private Instant now;

    /**
     * @param keepsLooking the warm window's gate: asked again after a pass
     */
    ProbeGate(GateSpec spec, MetricSource metrics, boolean keepsLooking) {
        this.spec = spec;
        this.metrics = metrics;
        this.keepsLooking = keepsLooking;
    }

    /** Before a round: what earlier looks left, and the round's instant (every look of it is at that instant). */
    void resume(GateLooks looks, Instant roundAt) {
        this.memory = looks;
        this.now = roundAt;
    }

    GateLooks memory() {
        return memory;
    }

    @Override
    public KubernetesRollout.Answer look(String name) throws InterruptedException {
        // A gate's window starts when its step asked for it, one interval before its first look (the run
        // waits that interval), so the first look already has increase() over a whole interval.
        GateState started = memory.gate() == null ? GateState.start(now.minus(spec.interval())) : memory.gate();
        GateEvaluator.Look look = GateProbe.lookOnce(spec, started, metrics, Map.of(), now);
        GateDecision decision = look.decision();
        memory = memory.after(look.state(), decision, keepsLooking, now);
        return new KubernetesRollout.Answer(decision.outcome(), decision.reason());
    }
}
