package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import dev.rollbackdeploy.gate.ThresholdJudge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every look's evidence goes into the record and comes back out exactly, tamper-checked like the rest. */
class GateEvidenceInRecordTest {

    @Test
    void everyLooksEvidenceSurvivesTheRecordRoundTrip() throws Exception {
        GateSpec spec = GateSpec.of(List.of(
                new MetricSpec.Threshold("p99-latency", new PromQlTemplate("p99{app=\"shop\"}"), ThresholdJudge.atMost(0.5)),
                new MetricSpec.Threshold("error-rate", new PromQlTemplate("errors{app=\"shop\"}"), ThresholdJudge.neverAbove(0.05))),
                Duration.ofSeconds(10), Duration.ofMinutes(1));
        GateState state = GateState.start(Records.T0);
        List<Evidence> looks = new ArrayList<>();
        // Look 1: latency has no data yet (keep looking); look 2: the error guardrail is breached.
        List<Map<String, List<Measurement>>> taken = List.of(
                Map.of("p99-latency", List.of(new Measurement.NoData("p99", "empty result")),
                        "error-rate", List.of(new Measurement.Value("errors", 0.001, Records.T0))),
                Map.of("p99-latency", List.of(new Measurement.Value("p99", 0.120, Records.T0.plusSeconds(10))),
                        "error-rate", List.of(new Measurement.Value("errors", 0.31, Records.T0.plusSeconds(10)))));
        GateDecision last = null;
        for (int i = 0; i < taken.size(); i++) {
            GateEvaluator.Look look = GateEvaluator.look(spec, state, taken.get(i), Records.T0.plusSeconds(10L * (i + 1)));
            looks.addAll(look.decision().evidence());
            state = look.state();
            last = look.decision();
        }
        DeploymentRecord base = Records.record("team/shop", 7);
        DeploymentRecord withEvidence = new DeploymentRecord(base.formatVersion(), base.build(), base.target(),
                base.workloads(), base.manifests(), base.strategy(), looks.stream().map(GateEvidence::of).toList(),
                Outcome.rolledBack("gate error-rate failed", new BuildRef("team/shop", 6)), base.startedAt(), base.finishedAt());

        RecordCodec codec = new RecordCodec();
        DeploymentRecord read = codec.decode(codec.encode(withEvidence), "7.json");

        assertThat(last.outcome()).isEqualTo(GateDecision.Outcome.ROLLBACK);
        assertThat(read.gateEvidence()).hasSize(4);
        assertThat(read.gateEvidence().stream().map(GateEvidence::evidence).toList()).isEqualTo(looks);
        assertThat(read.gateEvidence().get(0).evidence().verdict().kind()).isEqualTo("NO_DATA");
        assertThat(read.gateEvidence().get(3).evidence().verdict().kind()).isEqualTo("FAIL");
    }

    @Test
    void evidenceIsPartOfTheSelfHash() throws Exception {
        DeploymentRecord record = Records.record("team/shop", 8);
        RecordCodec codec = new RecordCodec();
        String json = new String(codec.encode(record), java.nio.charset.StandardCharsets.UTF_8);

        String tampered = json.replace("\"verdict\":\"PASS\"", "\"verdict\":\"FAIL\"");

        assertThat(tampered).isNotEqualTo(json);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode(tampered.getBytes(java.nio.charset.StandardCharsets.UTF_8), "8.json"))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("8.json");
    }
}
