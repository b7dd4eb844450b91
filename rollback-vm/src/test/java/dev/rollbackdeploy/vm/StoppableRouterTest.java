package dev.rollbackdeploy.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoppableRouterTest {

    /** Records writes; fails the first {@code failures} of them. */
    private static final class Recording implements TrafficRouter {
        final List<Weight> writes = new ArrayList<>();
        int failures;

        @Override
        public void setCanaryWeight(Weight canary) throws IOException {
            if (failures-- > 0) {
                throw new IOException("socket gone");
            }
            writes.add(canary);
        }

        @Override
        public Weight canaryWeight() {
            return writes.isEmpty() ? Weight.NONE : writes.get(writes.size() - 1);
        }
    }

    @Test
    void afterAStopOnlyTrafficBackToStableIsWritten() throws Exception {
        Recording inner = new Recording();
        StoppableRouter router = new StoppableRouter(inner);
        router.setCanaryWeight(Weight.of(25));

        router.stopOnStable();

        assertThatThrownBy(() -> router.setCanaryWeight(Weight.of(50))).isInstanceOf(IOException.class)
                .hasMessage("stopping: traffic was put back on stable and stays there; canary 50% refused");
        router.setCanaryWeight(Weight.NONE);
        assertThat(inner.writes).containsExactly(Weight.of(25), Weight.NONE, Weight.NONE);
        assertThat(router.stopped()).isTrue();
    }

    @Test
    void theStopRetriesItsWriteAndReportsWhenItNeverHeld() throws Exception {
        Recording flaky = new Recording();
        flaky.failures = 2;
        new StoppableRouter(flaky).stopOnStable();
        assertThat(flaky.writes).containsExactly(Weight.NONE);

        Recording dead = new Recording();
        dead.failures = StoppableRouter.STOP_ATTEMPTS;
        assertThatThrownBy(() -> new StoppableRouter(dead).stopOnStable()).hasMessage("socket gone");
        assertThat(dead.writes).isEmpty();
    }
}
