package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.Verdict;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import java.util.List;

/** The record's gate evidence as the engine's {@link GateChart} (scripts-free, every text XML-escaped). */
final class GateCharts {

    private GateCharts() {
    }

    static String svg(DeploymentRecord record) {
        List<Evidence> evidence = record.gateEvidence().stream().map(GateEvidence::evidence).toList();
        List<GateChart.RatePoint> points = GateChart.ratesFrom(evidence);
        if (points.isEmpty()) {
            return "";
        }
        Evidence last = evidence.get(evidence.size() - 1);
        GateDecision.Outcome decided = record.outcome().status() == Outcome.Status.PROMOTED
                || record.outcome().status() == Outcome.Status.DEPLOYED ? GateDecision.Outcome.PROMOTE
                : last.verdict() instanceof Verdict.Pass ? GateDecision.Outcome.HOLD : GateDecision.Outcome.ROLLBACK;
        return GateChart.render(last.metric() + " — " + record.targetKey() + " " + record.ref(), points, List.of(),
                new GateChart.DecisionMark(last.at(), decided));
    }
}
