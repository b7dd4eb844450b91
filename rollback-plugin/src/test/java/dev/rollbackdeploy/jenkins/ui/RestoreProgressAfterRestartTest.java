package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalHAProxy;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * The progress page a click redirected to outlives the restore's place in memory: after a controller
 * restart it still shows the finished restore's log and outcome, a restore the restart cut short says so,
 * and the job keeps only its newest restores (memory and disk), so neither grows without end.
 */
class RestoreProgressAfterRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void theProgressPageShowsTheFinishedRestoreAfterARestartAndOldRestoresArePruned() throws Throwable {
        List<String> cancelled = new ArrayList<>();
        String[] restoreUrl = new String[1];
        String[] interruptedUrl = new String[1];
        try (LocalHAProxy haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", 1, 100),
                new LocalHAProxy.Server("c1", 2, 0)))) {
            sessions.then(j -> {
                FreeStyleProject job = j.createFreeStyleProject("shop");
                FreeStyleBuild b1 = j.buildAndAssertSuccess(job);
                Records.attach(b1, "shop-prod", haproxy.adminSocket(), 0, 100);
                // more finished restores than the job keeps, oldest first (cancelled in the queue: quick, no target needed)
                for (int i = 0; i < RestoreFiles.KEEP + 5; i++) {
                    RestoreRun old = new RestoreRun(String.format("%08x", i), job, 1, "shop#1", "shop-old", "alice",
                            Clock.systemUTC());
                    assertThat(ActiveRestores.claim(old)).isEmpty();
                    RestoreWork.cancelledInQueue(old);
                    cancelled.add(old.getId());
                }
                assertThat(ActiveRestores.inMemory()).isLessThanOrEqualTo(ActiveRestores.FINISHED_IN_MEMORY);

                JenkinsRule.WebClient wc = j.createWebClient();
                wc.setRefreshHandler((page, url, seconds) -> { });
                WebRequest post = new WebRequest(new URL(j.getURL(), "job/shop/1/rollback/restore"), HttpMethod.POST);
                wc.addCrumb(post);
                Page redirected = wc.getPage(post);
                restoreUrl[0] = redirected.getUrl().toString().substring(j.getURL().toString().length());
                RestoreRun run = ActiveRestores.find(job, restoreUrl[0].replaceAll(".*/restore/([^/]+)/$", "$1")).orElseThrow();
                await(run::isFinished);
                assertThat(run.getState()).as(run.getLog()).isEqualTo(RestoreRun.State.RESTORED);

                // a restore the controller stops before it ends (queued, its transient task gone with the restart)
                RestoreRun queued = new RestoreRun("0badc0de", job, 1, "shop#1", "shop-elsewhere", "bob", Clock.systemUTC());
                assertThat(ActiveRestores.claim(queued)).isEmpty();
                interruptedUrl[0] = DeploymentsAction.restoreUrl(queued);
            });
            sessions.then(j -> {
                JenkinsRule.WebClient wc = j.createWebClient();
                String page = wc.goTo(restoreUrl[0]).getWebResponse().getContentAsString();
                assertThat(page).contains("RESTORED", "Restored shop#1", "holding the lock of target shop-prod",
                        "asked to roll target shop-prod back to shop#1");

                String interrupted = wc.goTo(interruptedUrl[0]).getWebResponse().getContentAsString();
                assertThat(interrupted).contains("INTERRUPTED", "The controller stopped while this restore was QUEUED");

                Path dir = RestoreFiles.dir(j.jenkins.getItemByFullName("shop", FreeStyleProject.class));
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.filter(f -> f.toString().endsWith(".xml")).count())
                            .isLessThanOrEqualTo(RestoreFiles.KEEP + 1); // + the interrupted one, saved after the last prune
                }
                wc.setThrowExceptionOnFailingStatusCode(false);
                String oldest = "job/shop/" + DeploymentsAction.URL_NAME + "/restore/" + cancelled.get(0) + "/";
                assertThat(wc.goTo(oldest).getWebResponse().getStatusCode()).as("pruned").isEqualTo(404);
                String newestCancelled = "job/shop/" + DeploymentsAction.URL_NAME + "/restore/"
                        + cancelled.get(cancelled.size() - 1) + "/";
                assertThat(wc.goTo(newestCancelled).getWebResponse().getContentAsString()).contains("CANCELLED");
                assertThat(wc.goTo("job/shop/" + DeploymentsAction.URL_NAME + "/restore/..%2F..%2Fconfig/")
                        .getWebResponse().getStatusCode()).as("ids never reach the file system").isEqualTo(404);
            });
        }
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.call()) {
            assertThat(Instant.now()).as("waited 60 s").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
