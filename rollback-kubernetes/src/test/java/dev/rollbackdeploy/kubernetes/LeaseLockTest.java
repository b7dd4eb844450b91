package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaseLockTest {

    private static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    private static final BuildRef FIRST = BuildRef.parse("team/shop#41");
    private static final BuildRef SECOND = BuildRef.parse("team/shop#42");

    private FakeApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new FakeApiServer();
        client = server.client();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private LeaseLock lock(String target, BuildRef holder, Clock clock, Retrying.Sleeper sleeper) {
        return new LeaseLock(client, "shop", target, holder, Duration.ofSeconds(30), Duration.ofMillis(20), clock,
                Retrying.standard(), sleeper);
    }

    private LeaseLock lock(String target, BuildRef holder, Clock clock) {
        return lock(target, holder, clock, d -> Thread.sleep(d.toMillis()));
    }

    @Test
    void aSecondMutatorIsToldWhoHoldsTheTargetSinceWhenAndUntilWhen() throws Exception {
        MutableClock clock = new MutableClock(T0);
        lock("web", FIRST, clock).acquire(Duration.ZERO);
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> lock("web", SECOND, clock).acquire(Duration.ZERO))
                .isInstanceOf(TargetLockedException.class)
                .hasMessage("target shop/web is locked by team/shop#41 since 2026-11-23T03:00:00Z "
                        + "(lease expires 2026-11-23T03:00:30Z)");
    }

    @Test
    void ofTwoContendingMutatorsExactlyOneMutates() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String target = "web-" + round;
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger mutations = new AtomicInteger();
                List<Future<String>> outcomes = new ArrayList<>();
                for (BuildRef build : List.of(FIRST, SECOND)) {
                    LeaseLock lock = lock(target, build, Clock.systemUTC());
                    Callable<String> mutator = () -> {
                        go.await();
                        try {
                            lock.acquire(Duration.ZERO);
                        } catch (TargetLockedException e) {
                            return e.getMessage();
                        }
                        mutations.incrementAndGet();
                        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                                .withName(target).endMetadata().addToData("by", build.toString()).build()).create();
                        return "mutated";
                    };
                    outcomes.add(pool.submit(mutator));
                }
                go.countDown();
                List<String> results = new ArrayList<>();
                for (Future<String> outcome : outcomes) {
                    results.add(outcome.get(20, TimeUnit.SECONDS));
                }

                assertThat(mutations).hasValue(1);
                assertThat(results).containsOnlyOnce("mutated");
                String winner = client.configMaps().inNamespace("shop").withName(target).get().getData().get("by");
                assertThat(results).anySatisfy(r -> assertThat(r)
                        .startsWith("target shop/" + target + " is locked by " + winner + " since "));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofTwoMutatorsTakingOverAnExpiredLeaseExactlyOneWins() throws Exception {
        BuildRef third = BuildRef.parse("team/shop#43");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String target = "expired-" + round;
                MutableClock clock = new MutableClock(T0);
                lock(target, FIRST, clock).acquire(Duration.ZERO);
                clock.advance(Duration.ofMinutes(5));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> outcomes = new ArrayList<>();
                for (BuildRef build : List.of(SECOND, third)) {
                    LeaseLock lock = lock(target, build, clock);
                    outcomes.add(pool.submit(() -> {
                        go.await();
                        try {
                            lock.acquire(Duration.ZERO);
                            return build.toString();
                        } catch (TargetLockedException e) {
                            return "refused: " + e.holder();
                        }
                    }));
                }
                go.countDown();
                String a = outcomes.get(0).get(20, TimeUnit.SECONDS);
                String b = outcomes.get(1).get(20, TimeUnit.SECONDS);

                String holder = lease(target).getSpec().getHolderIdentity();
                assertThat(List.of(a, b)).containsExactlyInAnyOrder(holder, "refused: " + holder);
                assertThat(lease(target).getSpec().getLeaseTransitions()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWaitingMutatorGetsTheLockOnceTheHolderReleasesIt() throws Exception {
        LeaseLock holder = lock("web", FIRST, Clock.systemUTC());
        holder.acquire(Duration.ZERO);
        CountDownLatch waiting = new CountDownLatch(1);
        LeaseLock waiter = lock("web", SECOND, Clock.systemUTC(), d -> {
            waiting.countDown();
            Thread.sleep(d.toMillis());
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> acquired = pool.submit(() -> {
                waiter.acquire(Duration.ofSeconds(20));
                return null;
            });
            assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the second mutator waits").isTrue();
            assertThat(acquired).isNotDone();

            assertThat(holder.release()).isTrue();

            acquired.get(10, TimeUnit.SECONDS);
            assertThat(lease("web").getSpec().getHolderIdentity()).isEqualTo("team/shop#42");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMutatorThatWaitedInVainGetsTheMessage() throws Exception {
        MutableClock clock = new MutableClock(T0);
        lock("web", FIRST, clock).acquire(Duration.ZERO);
        List<Duration> waits = new ArrayList<>();
        LeaseLock waiter = new LeaseLock(client, "shop", "web", SECOND, Duration.ofSeconds(30), Duration.ofSeconds(2),
                clock, Retrying.standard(), d -> {
                    waits.add(d);
                    clock.advance(d);
                });

        assertThatThrownBy(() -> waiter.acquire(Duration.ofSeconds(5)))
                .isInstanceOf(TargetLockedException.class)
                .hasMessageContaining("locked by team/shop#41");
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aLeaseAbandonedByADeadHolderIsTakenOverAfterItExpires() throws Exception {
        MutableClock clock = new MutableClock(T0);
        LeaseLock dead = lock("web", FIRST, clock);
        dead.acquire(Duration.ZERO);
        LeaseLock next = lock("web", SECOND, clock);

        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> next.acquire(Duration.ZERO)).isInstanceOf(TargetLockedException.class);
        clock.advance(Duration.ofSeconds(2));
        next.acquire(Duration.ZERO);

        Lease lease = lease("web");
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("team/shop#42");
        assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
        assertThatThrownBy(dead::renew).isInstanceOf(TargetLockedException.class)
                .hasMessageContaining("locked by team/shop#42");
        assertThat(dead.release()).as("only the holder releases").isFalse();
        assertThat(lease("web").getSpec().getHolderIdentity()).isEqualTo("team/shop#42");
    }

    @Test
    void renewingKeepsTheLeaseAliveAndTheSameBuildMayReacquire() throws Exception {
        MutableClock clock = new MutableClock(T0);
        LeaseLock held = lock("web", FIRST, clock);
        held.acquire(Duration.ZERO);
        LeaseLock other = lock("web", SECOND, clock);

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(20));
            held.renew();
            assertThatThrownBy(() -> other.acquire(Duration.ZERO)).isInstanceOf(TargetLockedException.class);
        }
        lock("web", FIRST, clock).acquire(Duration.ZERO);
        assertThat(lease("web").getSpec().getLeaseTransitions()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "plain name,          web,           rollback-deploy-lock-web-",
        "path with slash,     prod/Shop_Web, rollback-deploy-lock-prod-shop-web-",
        "only symbols,        '///',         rollback-deploy-lock-",
    })
    void leaseNamesAreReadableDnsNames(String row, String target, String prefix) {
        String name = LeaseLock.leaseName(target);

        assertThat(name).startsWith(prefix).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        assertThat(name.substring(prefix.length())).matches("[0-9a-f]{8}");
    }

    @Test
    void targetsThatSanitiseAlikeGetDifferentLeases() {
        assertThat(LeaseLock.leaseName("shop/web")).isNotEqualTo(LeaseLock.leaseName("shop-web"));
    }

    private Lease lease(String target) {
        return client.leases().inNamespace("shop").withName(LeaseLock.leaseName(target)).get();
    }
}
