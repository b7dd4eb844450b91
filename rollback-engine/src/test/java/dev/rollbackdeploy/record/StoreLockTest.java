package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers of one store, in this JVM or another, never interleave. */
class StoreLockTest {

    @TempDir
    Path root;

    @Test
    void aSecondThreadWaitsUntilTheFirstWriteIsVisible() throws Exception {
        Path secondFile = root.resolve("prod-shop/team%2Fshop/2.json");
        AtomicReference<Thread> second = new AtomicReference<>();
        AtomicReference<Thread.State> secondStateWhileFirstWrites = new AtomicReference<>();
        AtomicReference<Boolean> secondFileExistedWhileFirstWrites = new AtomicReference<>();
        FileRecordStore first = new FileRecordStore(root, () -> {
            Thread thread = new Thread(() -> save(new FileRecordStore(root), Records.record("team/shop", 2)));
            second.set(thread);
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            secondStateWhileFirstWrites.set(thread.getState());
            secondFileExistedWhileFirstWrites.set(Files.exists(secondFile));
        });

        first.save(Records.record("team/shop", 1));
        second.get().join(10_000);

        assertThat(secondStateWhileFirstWrites.get()).as("second writer parked on the lock").isEqualTo(Thread.State.WAITING);
        assertThat(secondFileExistedWhileFirstWrites.get()).isFalse();
        assertThat(new FileRecordStore(root).list("prod-shop")).hasSize(2);
    }

    @Test
    void manyWritersNeverOverlapAndAllRecordsSurvive() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                String job = "team/writer-" + writer;
                FileRecordStore store = new FileRecordStore(root, () -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                });
                writes.add(pool.submit(() -> {
                    for (int number = 1; number <= 15; number++) {
                        save(store, Records.record(job, number));
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(mostInside.get()).isEqualTo(1);
        assertThat(new FileRecordStore(root).list("prod-shop")).hasSize(60);
    }

    @Test
    void aWriterWaitsWhileAnotherProcessHoldsTheLock() throws Exception {
        Files.createDirectories(root);
        Process holder = StoreProcess.command("hold", root.toString()).start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = holder.getOutputStream()) {
            assertThat(out.readLine()).isEqualTo("LOCKED");
            Future<?> write = pool.submit(() -> save(new FileRecordStore(root), Records.record("team/shop", 1)));

            assertThatThrownBy(() -> write.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(root.resolve("prod-shop")).doesNotExist();

            in.write('\n');
            in.flush();
            write.get(30, TimeUnit.SECONDS);
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
            holder.destroy();
        }
        assertThat(holder.exitValue()).isZero();
        assertThat(new FileRecordStore(root).load(new BuildRef("team/shop", 1))).isEqualTo(Records.record("team/shop", 1));
    }

    @Test
    void anInterruptWhileWaitingIsKeptAndNothingIsWritten() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        FileRecordStore first = new FileRecordStore(root, () -> {
            Thread waiter = new Thread(() -> {
                try {
                    new FileRecordStore(root).save(Records.record("team/shop", 2));
                } catch (Exception e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            waiter.interrupt();
            try {
                waiter.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        first.save(Records.record("team/shop", 1));

        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(root.resolve("prod-shop/team%2Fshop/2.json")).doesNotExist();
    }

    private static void save(FileRecordStore store, DeploymentRecord record) {
        try {
            store.save(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
