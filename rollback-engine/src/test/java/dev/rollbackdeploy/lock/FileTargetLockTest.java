package dev.rollbackdeploy.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTargetLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondMutatorIsToldWhoHoldsTheTargetAndSinceWhen() throws Exception {
        FileTargetLock locks = new FileTargetLock(dir);
        try (TargetLock.Held held = locks.acquire("shop-vms", "shop#42", Duration.ZERO)) {
            assertThat(locks.holder("shop-vms")).contains(held.info());
            assertThat(held.tookOverFrom()).isEmpty();

            assertThatThrownBy(() -> locks.acquire("shop-vms", "shop#43", Duration.ofMillis(300)))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageStartingWith("target shop-vms is locked by shop#42 since " + held.info().since())
                    .hasMessageContaining("(pid " + ProcessHandle.current().pid() + " on ")
                    .hasMessageContaining("waited PT0.3S");
            assertThat(locks.acquire("other-target", "shop#43", Duration.ZERO).info().holder()).isEqualTo("shop#43");
        }
        assertThat(locks.holder("shop-vms")).as("no lock left").isEmpty();
        assertThat(Files.readString(locks.file("shop-vms"))).as("released lock files are emptied").isEmpty();
        try (TargetLock.Held again = locks.acquire("shop-vms", "shop#43", Duration.ZERO)) {
            assertThat(again.info().holder()).isEqualTo("shop#43");
        }
    }

    @Test
    void twoThreadsContendingExactlyOneMutatesAtATimeAndTheOtherWaits() throws Exception {
        FileTargetLock locks = new FileTargetLock(dir);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstIn = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> {
                try (TargetLock.Held held = locks.acquire("shop-vms", "shop#1", Duration.ZERO)) {
                    firstIn.countDown();
                    mutate(inside, overlaps, order, "shop#1");
                }
                return null;
            });
            firstIn.await(5, TimeUnit.SECONDS);
            Future<?> second = pool.submit(() -> {
                try (TargetLock.Held held = locks.acquire("shop-vms", "shop#2", Duration.ofSeconds(10))) {
                    mutate(inside, overlaps, order, "shop#2");
                }
                return null;
            });
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(order).containsExactly("shop#1", "shop#2");
    }

    private static void mutate(AtomicInteger inside, AtomicInteger overlaps, List<String> order, String who)
            throws InterruptedException {
        if (inside.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
        Thread.sleep(400);
        order.add(who);
        inside.decrementAndGet();
    }

    @Test
    void aLockHeldByAnotherProcessIsReportedAndTakenOverOnceThatProcessDies() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolderMain.class.getName(), dir.toString(), "shop-vms", "shop#41")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the child took the lock").startsWith("held shop#41");
            FileTargetLock locks = new FileTargetLock(dir);

            assertThatThrownBy(() -> locks.acquire("shop-vms", "shop#42", Duration.ZERO))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageStartingWith("target shop-vms is locked by shop#41 since ")
                    .hasMessageContaining("(pid " + child.pid() + " on ");

            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(locks.holder("shop-vms")).as("a dead holder's lock is free").isEmpty();
            try (TargetLock.Held held = locks.acquire("shop-vms", "shop#42", Duration.ZERO)) {
                assertThat(held.tookOverFrom()).hasValueSatisfying(dead -> {
                    assertThat(dead.holder()).isEqualTo("shop#41");
                    assertThat(dead.process()).startsWith("pid " + child.pid() + " on ");
                });
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void targetNamesThatAreNotFileNamesGetDistinctFiles() throws Exception {
        FileTargetLock locks = new FileTargetLock(dir);
        assertThat(locks.file("shop-vms")).isEqualTo(dir.resolve("shop-vms.lock"));
        assertThat(locks.file("prod/shop")).isNotEqualTo(locks.file("prod_shop"));
        assertThat(locks.file("../etc/passwd").getParent()).isEqualTo(dir);
        try (TargetLock.Held a = locks.acquire("prod/shop", "a#1", Duration.ZERO);
                TargetLock.Held b = locks.acquire("prod_shop", "b#1", Duration.ZERO)) {
            assertThat(locks.holder("prod/shop").orElseThrow().holder()).isEqualTo("a#1");
            assertThat(locks.holder("prod_shop").orElseThrow().holder()).isEqualTo("b#1");
        }
    }

    @Test
    void badInputNamesTheField() {
        FileTargetLock locks = new FileTargetLock(dir);
        assertThatThrownBy(() -> locks.acquire(" ", "a#1", Duration.ZERO)).hasMessage("lock target must not be blank, got ' '");
        assertThatThrownBy(() -> locks.acquire("t", "a#1", Duration.ofSeconds(-1)))
                .hasMessage("lock wait must be zero or positive, got PT-1S");
        assertThatThrownBy(() -> locks.acquire("t", "a#1\nb", Duration.ZERO))
                .hasMessage("lock holder must be one line of text, got 'a#1\nb'");
    }
}
