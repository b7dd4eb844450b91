package dev.rollbackdeploy.bench;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning a restore of a recorded release against live: the already-matching case (the common
 * second restore) and the every-image-changed case (a real rollback with a full field-level diff).
 *
 * <p>Run: {@code java -jar rollback-benchmarks/target/benchmarks.jar RestorePlanner -f 1 -wi 2 -i 3 -w 2s -r 3s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RestorePlannerBenchmark {

    /** Apps per release; each app is three objects, so 7 is a ~20-object release. */
    @Param({"7", "70"})
    public int apps;

    private final RestorePlanner planner = new RestorePlanner();
    private ManifestSet target;
    private LiveState matching;
    private LiveState changed;

    @Setup
    public void setUp() {
        target = Releases.release(apps, 41);
        matching = LiveState.of(Releases.release(apps, 41));
        changed = LiveState.of(Releases.release(apps, 42));
    }

    @Benchmark
    public Plan planAlreadyMatching() {
        return planner.plan(target, matching, RestoreOptions.SAFE);
    }

    @Benchmark
    public Plan planEveryImageChanged() {
        return planner.plan(target, changed, RestoreOptions.SAFE);
    }
}
