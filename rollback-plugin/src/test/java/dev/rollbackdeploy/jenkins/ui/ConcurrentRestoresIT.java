package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.jenkins.real.JenkinsRest;
import dev.rollbackdeploy.jenkins.real.RealJenkins;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.lock.TargetLock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two people click "Roll back" at once in the real Jenkins (the packaged .hpi), for different builds of
 * one target, while another writer (as the CLI would) holds the target's lock file: exactly one restore is
 * queued, saying who holds the lock; the other click is refused with 409 and a clear message; once the
 * other writer lets go the one restore runs, and afterwards nothing is left claimed or locked.
 */
class ConcurrentRestoresIT {

    @RegisterExtension
    static final RealJenkins JENKINS = RealJenkins.standard();

    private static LocalHAProxy haproxy;
    private static List<Integer> builds;

    @BeforeAll
    static void records() throws Exception {
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", 1, 100), new LocalHAProxy.Server("c1", 2, 0)));
        builds = RealJenkinsRecords.create(JENKINS.admin(), "shop", 2, "shop-prod", haproxy.adminSocket().toString(),
                List.of(new int[] {100, 0}, new int[] {0, 100}), "release");
    }

    @AfterAll
    static void stopHAProxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    void twoConcurrentClicksForDifferentBuildsOfOneTargetGiveOneRestoreAndAClearRefusal() throws Exception {
        FileTargetLock locks = new FileTargetLock(JENKINS.home().resolve("rollback-deploy/locks"));
        List<JenkinsRest.Response> answers;
        TargetLock.Held other = locks.acquire("shop-prod", "rollback --to shop#1 by ops", Duration.ZERO);
        try {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<JenkinsRest.Response> one = pool.submit(() -> JENKINS.admin().post(
                        "job/shop/" + builds.get(0) + "/rollback/restore", null, null));
                Future<JenkinsRest.Response> two = pool.submit(() -> JENKINS.user().post(
                        "job/shop/" + builds.get(1) + "/rollback/restore", null, null));
                answers = List.of(one.get(), two.get());
            } finally {
                pool.shutdownNow();
            }
            assertThat(answers).extracting(JenkinsRest.Response::status).containsExactlyInAnyOrder(302, 409);
            JenkinsRest.Response refused = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
            assertThat(refused.body()).contains("already queued or running", "nothing was changed by this click",
                    "rollback-deployments/restore/");
            // the queue's maintenance runs on its own period: wait until it has asked the task why it waits
            // (the queue's REST API exports each item's task: a restore in the queue must not break it)
            JenkinsRest.Response api = JENKINS.admin().get("queue/api/json?tree=items[why,task[name,url]]");
            Instant until = Instant.now().plus(Duration.ofSeconds(30));
            while (!api.body().contains("Waiting: target shop-prod is locked by") && Instant.now().isBefore(until)) {
                assertThat(api.status()).as(api.body()).isEqualTo(200);
                Thread.sleep(250);
                api = JENKINS.admin().get("queue/api/json?tree=items[why,task[name,url]]");
            }
            String queue = api.body();
            assertThat(api.status()).as(queue).isEqualTo(200);
            assertThat(queue).as(queue).contains("Waiting: target shop-prod is locked by rollback --to shop#1 by ops")
                    .containsOnlyOnce("\"why\"").contains("rollback-deployments/restore/");
        } finally {
            other.close();
        }
        // the one restore runs once the other writer has let go; its progress page says how it ended
        String progress = JENKINS.admin().get(progressOf(answers)).body();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!progress.contains("restore-result")) {
            assertThat(Instant.now()).as(progress).isBefore(deadline);
            Thread.sleep(250);
            progress = JENKINS.admin().get(progressOf(answers)).body();
        }
        assertThat(progress).containsPattern("(RESTORED|ALREADY_LIVE)");
        try (TargetLock.Held free = locks.acquire("shop-prod", "test: nothing left locked", Duration.ZERO)) {
            assertThat(free).isNotNull();
        }
        JenkinsRest.Response again = JENKINS.admin().post("job/shop/" + builds.get(0) + "/rollback/restore", null, null);
        assertThat(again.status()).as("nothing left claimed: " + again.body()).isEqualTo(302);
    }

    /** The progress page the accepted click was redirected to, relative to Jenkins' root. */
    private static String progressOf(List<JenkinsRest.Response> answers) {
        String location = answers.stream().filter(a -> a.status() == 302).findFirst().orElseThrow().location();
        assertThat(location).contains("/job/shop/rollback-deployments/restore/");
        return location.substring(location.indexOf("job/shop/"));
    }
}
