package dev.rollbackdeploy.bench;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;

/**
 * Heap retained per loaded record of 20 objects (goal: at most 64 KB). Loads the records once to
 * warm up, then loads them again into an array and compares used heap after full collections.
 * Run: {@code java -Xmx1g -cp rollback-benchmarks/target/benchmarks.jar dev.rollbackdeploy.bench.RecordHeapHarness}
 */
public final class RecordHeapHarness {

    private static final int COUNT = 1_000;

    private RecordHeapHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path root = BenchRecords.populate(COUNT);
        try {
            FileRecordStore store = new FileRecordStore(root);
            for (int number = 1; number <= COUNT; number++) {
                store.load(new BuildRef(BenchRecords.JOB, number));
            }
            long before = usedAfterGc();
            DeploymentRecord[] loaded = new DeploymentRecord[COUNT];
            for (int number = 1; number <= COUNT; number++) {
                loaded[number - 1] = store.load(new BuildRef(BenchRecords.JOB, number));
            }
            long after = usedAfterGc();
            long fileBytes = java.nio.file.Files.size(root.resolve(BenchRecords.TARGET).resolve("team%2Fshop")
                    .resolve("1.json"));
            System.out.printf("records loaded: %d, objects per record: %d, file size of one record: %d bytes%n",
                    loaded.length, loaded[0].manifests().size(), fileBytes);
            System.out.printf("retained heap per loaded record: %.1f KB (goal <= 64 KB)%n",
                    (after - before) / (double) COUNT / 1024);
        } finally {
            BenchRecords.delete(root);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several rounds: one System.gc() may leave garbage that a later round collects.
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
