package dev.rollbackdeploy.bench;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The record store with a long history: one target with {@code records} records of 20 objects.
 * Goal: finding, loading and verifying the record a rollback restores takes at most 50 ms.
 * The heap goal (64 KB per loaded record) is measured by {@link RecordHeapHarness}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordStoreBenchmark {

    @Param("10000")
    int records;

    private Path root;
    private FileRecordStore store;

    @Setup(Level.Trial)
    public void populate() throws IOException {
        root = BenchRecords.populate(records);
        store = new FileRecordStore(root);
        store.list(BenchRecords.TARGET);
    }

    @TearDown(Level.Trial)
    public void clean() throws IOException {
        BenchRecords.delete(root);
    }

    /** What a rollback does: the newest promoted record (past five aborted ones), read and verified. */
    @Benchmark
    public DeploymentRecord findLastPromoted() throws IOException {
        return store.latest(BenchRecords.TARGET, r -> r.outcome().status() == Outcome.Status.PROMOTED)
                .orElseThrow();
    }

    /** Restoring a named build: locate, read and verify one record among 10,000. */
    @Benchmark
    public DeploymentRecord loadNamedBuild() throws IOException {
        return store.load(new BuildRef(BenchRecords.JOB, records / 2));
    }

    /** History listing once the summary index is warm: one stat per file. */
    @Benchmark
    public List<RecordSummary> listWarm() throws IOException {
        return store.list(BenchRecords.TARGET);
    }

    /** History listing by a fresh store (e.g. after a restart): every record read and verified. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public List<RecordSummary> listCold() throws IOException {
        return new FileRecordStore(root).list(BenchRecords.TARGET);
    }
}
