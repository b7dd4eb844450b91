package dev.rollbackdeploy.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The blocking loop the CLI uses, on real time (short windows). */
class VmRolloutTest {

    private static final HAProxyBackend BACKEND = new HAProxyBackend("app", List.of("blue1"), List.of("green1"));

    @Test
    void aBlueGreenThatStartsFailingAfterItsFirstPassingLookIsSwitchedBackInsideTheWarmWindow() throws Exception {
        // Issue 9 item 3: healthy at the first look after the switch, failing from two seconds on.
        AtomicReference<Instant> switched = new AtomicReference<>();
        FakeTarget target = new FakeTarget((query, at) -> switched.get() != null
                && at.isAfter(switched.get().plusMillis(1900)) ? 0.5 : 0.0);
        GateSpec afterSwitch = HAProxyGate.afterSwitch(BACKEND, 0.05, 10, Duration.ofSeconds(1), Duration.ofSeconds(4));
        List<String> lines = new ArrayList<>();
        VmRollout rollout = new VmRollout(new SwitchTimer(target, switched), target, null, afterSwitch, Map.of(),
                Clock.systemUTC(), lines::add);

        VmRollout.Result result = rollout.drive(HAProxyGate.blueGreen(Duration.ofSeconds(4)));

        assertThat(result.state().phase()).as(String.join("\n", lines)).isEqualTo(Phase.ROLLED_BACK);
        assertThat(target.writes).containsExactly(Weight.ALL, Weight.NONE);
        assertThat(String.join("\n", lines)).contains("gate after-switch: PROMOTE").contains("switch back to the previous version");
    }

    /** Notes when the switch to the new version happened. */
    private record SwitchTimer(FakeTarget target, AtomicReference<Instant> switched)
            implements dev.rollbackdeploy.traffic.TrafficRouter {
        @Override
        public void setCanaryWeight(Weight canary) throws java.io.IOException {
            target.setCanaryWeight(canary);
            if (canary.equals(Weight.ALL)) {
                switched.set(Instant.now());
            }
        }

        @Override
        public Weight canaryWeight() {
            return target.canaryWeight();
        }
    }
}
