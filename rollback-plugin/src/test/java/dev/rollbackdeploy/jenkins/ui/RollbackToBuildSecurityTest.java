package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.record.DeploymentRecord;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * "Roll back to this build" with security on (JenkinsRule, MockAuthorizationStrategy) against a real HAProxy:
 * who may see and press it, CSRF, GET of the POST URL, the restore itself, a repeated click, two at once.
 */
class RollbackToBuildSecurityTest {

    private static SharedJenkins j;
    private static LocalHAProxy haproxy;
    private static FreeStyleProject job;
    private static DeploymentRecord first;
    private static DeploymentRecord second;
    private static DeploymentRecord third;

    @BeforeAll
    static void start() throws Throwable {
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", 1, 100), new LocalHAProxy.Server("c1", 2, 0)));
        j = SharedJenkins.start(RollbackToBuildSecurityTest.class);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone()
                .grant(RollbackPermission.ROLLBACK, Item.CANCEL).everywhere().to("alice")
                .grant(Item.BUILD).everywhere().to("carol"));
        job = j.createFreeStyleProject("shop");
        FreeStyleBuild b1 = j.buildAndAssertSuccess(job);
        FreeStyleBuild b2 = j.buildAndAssertSuccess(job);
        FreeStyleBuild b3 = j.buildAndAssertSuccess(job);
        first = Records.attach(b1, "shop-prod", haproxy.adminSocket(), 100, 0);
        second = Records.attach(b2, "shop-prod", haproxy.adminSocket(), 0, 100);
        third = Records.attach(b3, "shop-prod", haproxy.adminSocket(), 50, 50);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (j != null) {
                j.after();
            }
        } finally {
            if (haproxy != null) {
                haproxy.close();
            }
        }
    }

    private static WebRequest post(String path, JenkinsRule.WebClient wc, boolean crumb) throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
        if (crumb) {
            wc.addCrumb(request);
        }
        return request;
    }

    private static JenkinsRule.WebClient client() {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.setRefreshHandler((page, url, seconds) -> { }); // the progress page refreshes itself while queued
        return wc;
    }

    @Test
    void rollbackIsImpliedByBuildAndGrantedSeparately() {
        assertThat(RollbackPermission.ROLLBACK.impliedBy).isEqualTo(Item.BUILD);
        assertThat(RollbackPermission.ROLLBACK.isContainedBy(hudson.security.PermissionScope.RUN)).isTrue();
    }

    @Test
    void anonymousPostIsForbiddenAndChangesNothing() throws Exception {
        Object before = Records.liveState(second);
        // a plain client: HtmlUnit would follow Jenkins' login redirect on the 403 page
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                new URL(j.getURL(), "job/shop/2/rollback/restore").toURI()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Records.liveState(second)).isEqualTo(before);
    }

    @Test
    void userWithoutRollbackGetsForbiddenAndNoButton() throws Exception {
        Object before = Records.liveState(second);
        JenkinsRule.WebClient wc = client().login("bob");
        HtmlPage build = wc.goTo("job/shop/2/");
        assertThat(build.getWebResponse().getContentAsString()).doesNotContain("rollback/\"").contains("rollback-record");
        assertThat(wc.goTo("job/shop/2/rollback/").getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(wc.getPage(post("job/shop/2/rollback/restore", wc, true)).getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(Records.liveState(second)).isEqualTo(before);
    }

    @Test
    void buildPermissionImpliesRollback() throws Exception {
        JenkinsRule.WebClient wc = client().login("carol");
        assertThat(wc.goTo("job/shop/2/rollback/").getWebResponse().getStatusCode()).isEqualTo(200);
    }

    @Test
    void getOfThePostUrlAndPostWithoutCrumbChangeNothing() throws Exception {
        Object before = Records.liveState(second);
        JenkinsRule.WebClient wc = client().login("alice");
        assertThat(wc.goTo("job/shop/2/rollback/restore").getWebResponse().getStatusCode()).isEqualTo(405);
        assertThat(wc.getPage(post("job/shop/2/rollback/restore", wc, false)).getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(Records.liveState(second)).isEqualTo(before);
        assertThat(ActiveRestores.claimed("shop-prod")).isFalse();
    }

    @Test
    void permittedPostRestoresShowsTheLogAndASecondClickIsAlreadyLive() throws Exception {
        JenkinsRule.WebClient wc = client().login("alice");
        HtmlPage confirm = wc.goTo("job/shop/2/rollback/");
        assertThat(confirm.getWebResponse().getContentAsString()).contains("spec.stable.s1", "rollback-confirm");

        RestoreRun run = click(wc, "job/shop/2/rollback/restore");
        assertThat(run.getState()).isEqualTo(RestoreRun.State.RESTORED);
        assertThat(run.getWrites()).isPositive();
        assertThat(Records.live(second)).isTrue();
        assertThat(dev.rollbackdeploy.audit.AuditLog.besideStore(ControllerRecords.storeDir()).read())
                .anyMatch(e -> e.toString().contains("ROLLBACK") && e.toString().contains("shop#2"));
        String progress = wc.goTo(DeploymentsAction.restoreUrl(run)).getWebResponse().getContentAsString();
        assertThat(progress).contains("RESTORED", "holding the lock of target shop-prod", "step 1/");

        assertThat(wc.goTo("job/shop/2/rollback/").getWebResponse().getContentAsString()).contains("rollback-already-live")
                .doesNotContain("rollback-confirm");
        RestoreRun again = click(wc, "job/shop/2/rollback/restore");
        assertThat(again.getState()).isEqualTo(RestoreRun.State.ALREADY_LIVE);
        assertThat(again.getWrites()).isZero();
        assertThat(again.getLog()).contains("already live", "0 writes");

        String deployments = wc.goTo("job/shop/rollback-deployments/").getWebResponse().getContentAsString();
        assertThat(deployments).contains("ROLLBACK", "RESTORED", "ALREADY_LIVE", "alice", "shop#2");
        assertThat(j.jenkins.getItemByFullName("shop", FreeStyleProject.class).getBuildByNumber(2)
                .getAction(DeploymentRecordAction.class).getRollbacks()).extracting(HistoryEntry::getOutcome)
                .contains("RESTORED", "ALREADY_LIVE");
    }

    @Test
    void twoConcurrentClicksOnOneTargetRunOneAndRefuseTheOther() throws Exception {
        // Another writer (as the CLI would) holds the target: the first click waits in the queue, saying who.
        TargetLock.Held other = locks().acquire("shop-prod", "rollback --to shop#1 by ops", Duration.ZERO);
        JenkinsRule.WebClient a = client().login("alice");
        JenkinsRule.WebClient b = client().login("alice");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Page> clickFirst = () -> a.getPage(post("job/shop/1/rollback/restore", a, true));
            Callable<Page> clickThird = () -> b.getPage(post("job/shop/3/rollback/restore", b, true));
            Future<Page> one = pool.submit(clickFirst);
            Future<Page> two = pool.submit(clickThird);
            List<Page> pages = List.of(one.get(), two.get());
            assertThat(pages).extracting(p -> p.getWebResponse().getStatusCode()).containsExactlyInAnyOrder(200, 409);
            Page refused = pages.stream().filter(p -> p.getWebResponse().getStatusCode() == 409).findFirst().orElseThrow();
            assertThat(refused.getWebResponse().getContentAsString()).contains("already queued or running",
                    "nothing was changed");
            assertThat(queued()).hasSize(1);
            assertThat(queued().get(0).getWhy()).contains("locked by rollback --to shop#1 by ops");
        } finally {
            pool.shutdownNow();
            other.close();
        }
        await(() -> !ActiveRestores.claimed("shop-prod"));
        assertThat(Records.live(first) ^ Records.live(third)).isTrue();
        try (TargetLock.Held held = locks().acquire("shop-prod", "test", Duration.ZERO)) {
            assertThat(held).isNotNull();
        }
    }

    @Test
    void aRestoreCancelledInTheQueueReleasesTheTarget() throws Exception {
        TargetLock.Held other = locks().acquire("shop-prod", "rollback --to shop#1 by ops", Duration.ZERO);
        try {
            JenkinsRule.WebClient wc = client().login("alice");
            wc.getPage(post("job/shop/3/rollback/restore", wc, true));
            Queue.Item queued = queued().get(0);
            assertThat(queued.task).isInstanceOf(RestoreTask.class);
            assertThat(ActiveRestores.claimed("shop-prod")).isTrue();
            j.jenkins.getQueue().cancel(queued);
            assertThat(ActiveRestores.claimed("shop-prod")).isFalse();
            assertThat(((RestoreTask) queued.task).restore().getState()).isEqualTo(RestoreRun.State.CANCELLED);
        } finally {
            other.close();
        }
    }

    /** The queue as the system sees it (getItems() shows only what the calling thread may read). */
    private static List<Queue.Item> queued() throws Exception {
        await(() -> {
            try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
                return j.jenkins.getQueue().getItems().length > 0;
            }
        });
        try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
            return List.of(j.jenkins.getQueue().getItems());
        }
    }

    private static TargetLock locks() {
        return OperationContext.nextToStore(ControllerRecords.storeDir(), Duration.ZERO, "test", Clock.systemUTC(),
                line -> { }).targetLocks();
    }

    /** POSTs the confirm form's URL with the crumb and waits for the restore it redirected to. */
    private static RestoreRun click(JenkinsRule.WebClient wc, String path) throws Exception {
        Page page = wc.getPage(post(path, wc, true));
        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        String url = page.getUrl().toString();
        assertThat(url).contains("/rollback-deployments/restore/");
        String id = url.replaceAll(".*/restore/([^/]+)/?$", "$1");
        RestoreRun run = ActiveRestores.byId(id).orElseThrow();
        await(run::isFinished);
        return run;
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.call()) {
            assertThat(Instant.now()).as("waited 30 s").isBefore(deadline);
            Thread.sleep(20); // polling, not timing: a busy spin took one of this machine's two cores from Jenkins
        }
    }
}
