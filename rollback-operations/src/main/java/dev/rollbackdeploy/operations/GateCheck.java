package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.record.BuildRef;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The one "gate": asks a spec's own gate about the traffic as it is now and changes nothing — the
 * canary-vs-stable 5xx gate for a canary spec, the new version's own 5xx gate for a blue-green spec.
 * {@link #look} is one non-blocking look (a Jenkins step persists {@link GateState#toMap()} between
 * looks); {@link #run} is the CLI's blocking loop.
 */
public final class GateCheck {

    /**
     * The gate's answer.
     *
     * @param metricsUnusable every metric of the deciding look was a measurement error (unreachable,
     *                        refused, 401, an HTML error page): the metrics server could not be used, which
     *                        is not the same as a bad canary (the CLI exits 5 instead of 3)
     */
    public record Verdict(GateDecision.Outcome outcome, String reason, boolean metricsUnusable, int looks,
            List<Evidence> evidence) {

        public boolean wouldPromote() {
            return outcome == GateDecision.Outcome.PROMOTE;
        }
    }

    private final GateSpec gate;
    private final MetricSource metrics;
    private final String target;
    private final BuildRef build;

    public GateCheck(DeploymentSpec spec, MetricSource metrics) {
        this.gate = spec.ownGate();
        this.metrics = metrics;
        this.target = spec.target().key();
        this.build = spec.build();
    }

    public GateSpec gate() {
        return gate;
    }

    public GateState start(Instant now) {
        return GateState.start(now);
    }

    /** One look now; call again after {@link GateSpec#interval()} while the state is not finished. */
    public GateEvaluator.Look look(GateState state, Instant now) throws InterruptedException {
        return GateProbe.lookOnce(gate, state, metrics, Map.of(), now);
    }

    /** Looks once per interval until the gate decides, sleeping in between. */
    public Verdict run(Clock clock, Progress progress) throws InterruptedException {
        GateState state = start(clock.instant());
        GateEvaluator.Look look;
        do {
            Thread.sleep(gate.interval().toMillis());
            look = look(state, clock.instant());
            state = look.state();
            for (Evidence evidence : look.decision().evidence()) {
                progress.report("look " + state.looks() + ": " + evidence.verdict().kind() + " " + evidence.values()
                        + (evidence.verdict().kind().equals("ERROR") ? " — " + evidence.verdict().reason() : ""));
            }
        } while (!state.finished());
        return verdict(look.decision(), state.looks());
    }

    /**
     * The verdict in the audit log beside the context's store (docs/safety.md): a stand-alone gate changes
     * nothing, but what it judged, on which evidence, and who asked is on record like a deploy's gate.
     *
     * @param asked who asked and through what ("rollback gate --spec shop.yaml", "metricsGate in shop #43")
     */
    public void audit(OperationContext context, Verdict verdict, String asked) throws InterruptedException {
        Audit.append(context, AuditAction.GATE_VERDICT, target, null, build, asked + ": gate decided " + verdict.outcome()
                + " after " + verdict.looks() + " looks" + (verdict.metricsUnusable() ? " (the metrics server could not be"
                + " used)" : ""), verdict.reason(), null);
    }

    static Verdict verdict(GateDecision decision, int looks) {
        boolean unusable = decision.outcome() == GateDecision.Outcome.ROLLBACK && !decision.evidence().isEmpty()
                && decision.evidence().stream().allMatch(e -> e.verdict() instanceof dev.rollbackdeploy.gate.Verdict.Error);
        return new Verdict(decision.outcome(), decision.reason(), unusable, looks, decision.evidence());
    }
}
