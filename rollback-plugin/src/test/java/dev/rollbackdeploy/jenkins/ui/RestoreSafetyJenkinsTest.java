package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.jenkins.config.KillSwitchConfig;
import dev.rollbackdeploy.jenkins.config.RecoveryCommandConfig;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.local.LocalUnleash;
import dev.rollbackdeploy.local.UnleashAdmin;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.util.Secret;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * {@code rollbackTo} and "Roll back to this build" with the target's kill switch and recovery command (JenkinsRule),
 * against a real Unleash 7.5.1 on a real PostgreSQL and a real HAProxy: shop#1 and shop#2 are recorded, shop#2 is live.
 * The flag goes off before the restore writes; a restore in a build without a record is recorded as that build; the
 * recovery command (a script writing a marker with its environment) runs only with {@code recover:} or the page's
 * checkbox, once, audited as RECOVERY by whoever confirmed it; bad input changes nothing; the token is nowhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreSafetyJenkinsTest {

    private static final String TARGET = "shop-vms";
    private static final String REASON = "orders table damaged by the release";
    private static SharedJenkins j;
    private static LocalPostgres postgres;
    private static LocalUnleash unleash;
    private static LocalHAProxy haproxy;
    private static UnleashAdmin flags;
    private static DeploymentRecord first;
    private static DeploymentRecord second;
    private static WorkflowJob ops;
    private static String flag;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Throwable {
        postgres = LocalPostgres.start();
        unleash = LocalUnleash.start(postgres, "unleash");
        flags = new UnleashAdmin(unleash);
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", 1, 0), new LocalHAProxy.Server("c1", 2, 100)));
        j = SharedJenkins.start(RestoreSafetyJenkinsTest.class);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone()
                .grant(RollbackPermission.ROLLBACK).everywhere().to("alice")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "unleash-admin", "Unleash admin token", Secret.fromString(LocalUnleash.ADMIN_TOKEN)));
        FreeStyleProject shop = j.createFreeStyleProject("shop");
        first = Records.attach(j.buildAndAssertSuccess(shop), TARGET, haproxy.adminSocket(), 100, 0);
        second = Records.attach(j.buildAndAssertSuccess(shop), TARGET, haproxy.adminSocket(), 0, 100);
        ops = j.createProject(WorkflowJob.class, "ops");
        flag = flags.createOn();
        killSwitch(flag);
        recoveryCommand(true);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable server : new AutoCloseable[] {j == null ? null : j::after, haproxy, unleash, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // the others still stop
            }
        }
    }

    @Test
    @Order(1)
    void rollbackToTurnsTheFlagOffThenRestoresAndRecordsTheRestoreAsThisBuild() throws Exception {
        WorkflowRun run = pipeline("def r = rollbackTo 'shop#1'\n"
                + "echo \"status=${r.status} writes=${r.writes} flags=${r.flags} recorded=${r.recorded} recovery=${r.recovery}\"",
                Result.SUCCESS);

        String log = Secrets.log(run);
        assertThat(log).contains("kill switch: flags [" + flag + "] in unleash", flag + " on -> off", "status=RESTORED",
                "flags=[[flag:" + flag + ", before:true, enabled:false]]", "recorded=ops#" + run.getNumber(), "recovery=null",
                "this restore is recorded as ops#" + run.getNumber());
        assertThat(log.indexOf(flag + " on -> off")).as("flags off before the first write")
                .isLessThan(log.indexOf("status=RESTORED"));
        assertThat(flags.enabledInProduction(flag)).as("read back from Unleash").isFalse();
        assertThat(Records.live(first)).isTrue();
        DeploymentRecord own = ControllerRecords.store().load(new BuildRef("ops", run.getNumber()));
        assertThat(own.outcome().status()).isEqualTo(Outcome.Status.ROLLED_BACK);
        assertThat(own.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"" + flag + "\"}");
        assertThat(run.getAction(DeploymentRecordAction.class)).as("the restore's record on its build page").isNotNull();
        assertThat(marker()).as("without recover: the command never runs").doesNotExist();
    }

    @Test
    @Order(2)
    void recoverRunsTheConfiguredCommandOnceAuditedAsRecoveryWithTheTimeToRecoverTo() throws Exception {
        flags.turnOn(flag);
        WorkflowRun run = pipeline("def r = rollbackTo build: 'shop#2', recover: '" + REASON + "', recoverTo: "
                + "'2026-12-04T10:00:00Z'\necho \"recovery=${r.recovery} recorded=${r.recorded}\"", Result.SUCCESS);

        assertThat(Files.readAllLines(marker())).containsExactly(TARGET + " shop#2 2026-12-04T10:00:00Z");
        String log = Secrets.log(run);
        assertThat(log).contains("recovery=[exitCode:0, summary:recovery command /bin/sh exited 0", "recovery output | "
                + "recovered " + TARGET, "recorded=ops#" + run.getNumber());
        List<AuditEntry> recoveries = AuditLog.besideStore(ControllerRecords.storeDir()).read().stream()
                .filter(e -> e.event().action() == AuditAction.RECOVERY).toList();
        assertThat(recoveries).singleElement().satisfies(e -> {
            assertThat(e.event().reason()).isEqualTo(REASON);
            assertThat(e.event().actor()).isEqualTo("jenkins ops#" + run.getNumber());
            assertThat(String.valueOf(e.event().to())).isEqualTo("shop#2");
        });
        DeploymentRecord own = ControllerRecords.store().load(new BuildRef("ops", run.getNumber()));
        assertThat(own.safety().recoveryJson().orElseThrow().toString()).contains("\"exitCode\":0", REASON);
        assertThat(Records.live(second)).isTrue();
    }

    @Test
    @Order(3)
    void aSecondRestoreInABuildThatHasItsRecordIsInTheAuditLogOnly() throws Exception {
        WorkflowRun run = pipeline("rollbackTo 'shop#1'\nrollbackTo 'shop#2'", Result.SUCCESS);

        j.assertLogContains("this restore is recorded as ops#" + run.getNumber(), run);
        j.assertLogContains("this build already has a record of its own (ops#" + run.getNumber()
                + "); this restore is in the audit log only", run);
        assertThat(Records.live(second)).isTrue();
    }

    @Test
    @Order(4)
    void badRecoveryInputAndAMissingFlagFailTheBuildBeforeAnythingChanges() throws Exception {
        flags.turnOn(flag);
        recoveryCommand(false);
        try {
            WorkflowRun noCommand = pipeline("rollbackTo build: 'shop#1', recover: '" + REASON + "'", Result.FAILURE);
            j.assertLogContains("no recovery command is configured", noCommand);
            j.assertLogContains("Nothing was changed", noCommand);
        } finally {
            recoveryCommand(true);
        }
        WorkflowRun badTime = pipeline("rollbackTo build: 'shop#1', recover: '" + REASON + "', recoverTo: 'yesterday'",
                Result.FAILURE);
        j.assertLogContains("recoverTo must be an ISO-8601 time such as 2026-12-04T10:00:00Z, got 'yesterday'", badTime);
        killSwitch(flag, "no-such-flag");
        try {
            WorkflowRun missing = pipeline("rollbackTo 'shop#1'", Result.FAILURE);
            j.assertLogContains("flag 'no-such-flag' does not exist in unleash", missing);
            assertThat(ControllerRecords.store().list(TARGET)).noneMatch(r -> r.build().equals(new BuildRef("ops",
                    missing.getNumber())));
        } finally {
            killSwitch(flag);
        }
        assertThat(flags.enabledInProduction(flag)).isTrue();
        assertThat(Records.live(second)).isTrue();
        assertThat(Files.readAllLines(marker())).as("the command ran once, in the test before").hasSize(1);
    }

    @Test
    @Order(5)
    void theButtonsPageNamesTheFlagsAndItsRecoveryCheckboxRunsTheCommandAsTheClickingUser() throws Exception {
        try (JenkinsRule.WebClient wc = client("alice")) {
            String page = wc.goTo("job/shop/1/rollback/").getWebResponse().getContentAsString();
            assertThat(page).contains("id=\"rollback-kill-switch\"", flag, "in unleash http://127.0.0.1:",
                    "flags off before traffic moves", "name=\"recover\"", "name=\"recoverReason\"", "no record of its own");
            assertThat(wc.goTo("job/shop/1/rollback/restore").getWebResponse().getStatusCode()).as("GET").isEqualTo(405);

            RestoreRun restore = click(wc, "job/shop/1/rollback/restore", List.of(new NameValuePair("recover", "on"),
                    new NameValuePair("recoverReason", REASON + " (button)")));

            assertThat(restore.getState()).as(restore.getLog()).isEqualTo(RestoreRun.State.RESTORED);
            String progress = wc.goTo(DeploymentsAction.restoreUrl(restore)).getWebResponse().getContentAsString();
            assertThat(progress).contains("flag " + flag + ": on -> off", "recovery exit code 0", "confirmed by alice",
                    "recovery output | recovered " + TARGET, "no record of its own");
        }
        assertThat(Files.readAllLines(marker())).hasSize(2).last().isEqualTo(TARGET + " shop#1 ");
        assertThat(AuditLog.besideStore(ControllerRecords.storeDir()).read()).filteredOn(e -> e.event().action()
                == AuditAction.RECOVERY).last().satisfies(e -> {
                    assertThat(e.event().actor()).isEqualTo("alice");
                    assertThat(e.event().reason()).isEqualTo(REASON + " (button)");
                });
        assertThat(flags.enabledInProduction(flag)).isFalse();
        assertThat(Records.live(first)).isTrue();
    }

    @Test
    @Order(6)
    void theCheckboxWithoutAReasonIsRefusedAndChangesNothing() throws Exception {
        try (JenkinsRule.WebClient wc = client("alice")) {
            WebRequest request = post(wc, "job/shop/2/rollback/restore", List.of(new NameValuePair("recover", "on")));
            Page page = wc.getPage(request);
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(page.getWebResponse().getContentAsString()).contains("needs a reason", "Nothing was changed");
        }
        assertThat(Records.live(first)).isTrue();
        assertThat(Files.readAllLines(marker())).hasSize(2);
    }

    @Test
    @Order(7)
    void inModeInsteadOfTrafficRollbackToTurnsTheFlagOffAndLeavesTheTargetAsItIs() throws Exception {
        flags.turnOn(flag);
        KillSwitchConfig instead = new KillSwitchConfig(TARGET, "unleash", unleash.baseUrl());
        instead.setCredentialsId("unleash-admin");
        instead.setEnvironment("production");
        instead.setFlags(flag);
        instead.setMode("INSTEAD_OF_TRAFFIC");
        RollbackConfiguration.get().setKillSwitches(List.of(instead));
        try {
            WorkflowRun run = pipeline("def r = rollbackTo 'shop#2'\necho \"status=${r.status} writes=${r.writes}\"",
                    Result.SUCCESS);

            j.assertLogContains("flags off instead of moving traffic", run);
            j.assertLogContains("status=FLAGS_OFF writes=0", run);
            assertThat(flags.enabledInProduction(flag)).isFalse();
            assertThat(Records.live(first)).as("the target left as it was").isTrue();
        } finally {
            killSwitch(flag);
        }
    }

    @Test
    @Order(8)
    void theTokenIsInNoBuildLogPageRecordOrFile() throws Exception {
        Secrets.assertNowhere(j, LocalUnleash.ADMIN_TOKEN, "admin", List.of("manage/configure", "job/ops/1/console",
                "job/ops/2/console", "job/ops/1/rollback-record/", "job/shop/1/rollback/", "job/shop/rollback-deployments/"));
    }

    private static Path marker() {
        return dir.resolve("recovered.txt");
    }

    private static void killSwitch(String... names) {
        KillSwitchConfig config = new KillSwitchConfig(TARGET, "unleash", unleash.baseUrl());
        config.setCredentialsId("unleash-admin");
        config.setEnvironment("production");
        config.setFlags(String.join("\n", names));
        RollbackConfiguration.get().setKillSwitches(List.of(config));
    }

    /** A script that appends its environment's facts to the marker and prints a line (the output the page tails). */
    private static void recoveryCommand(boolean configured) throws Exception {
        if (!configured) {
            RollbackConfiguration.get().setRecoveryCommands(List.of());
            return;
        }
        Path script = dir.resolve("recover.sh");
        Files.writeString(script, "echo \"$ROLLBACK_TARGET $ROLLBACK_TO_BUILD $ROLLBACK_RECOVER_TO\" >> \"$1\"\n"
                + "echo \"recovered $ROLLBACK_TARGET\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        RollbackConfiguration.get().setRecoveryCommands(List.of(new RecoveryCommandConfig(TARGET,
                "/bin/sh\n" + script + "\n" + marker())));
    }

    private static WorkflowRun pipeline(String script, Result expected) throws Exception {
        ops.setDefinition(new CpsFlowDefinition(script, true));
        return j.assertBuildStatus(expected, ops.scheduleBuild2(0));
    }

    private static JenkinsRule.WebClient client(String user) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.setRefreshHandler((page, url, seconds) -> { }); // the progress page refreshes itself while running
        return wc.login(user);
    }

    private static WebRequest post(JenkinsRule.WebClient wc, String path, List<NameValuePair> form) throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
        request.setRequestParameters(new java.util.ArrayList<>(form));
        wc.addCrumb(request);
        return request;
    }

    /** POSTs the confirm form with the crumb and waits for the restore it redirected to. */
    private static RestoreRun click(JenkinsRule.WebClient wc, String path, List<NameValuePair> form) throws Exception {
        Page page = wc.getPage(post(wc, path, form));
        assertThat(page.getWebResponse().getStatusCode()).as(page.getWebResponse().getContentAsString()).isEqualTo(200);
        String id = page.getUrl().toString().replaceAll(".*/restore/([^/]+)/?$", "$1");
        RestoreRun run = ActiveRestores.byId(id).orElseThrow();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!run.isFinished()) {
            assertThat(Instant.now()).as("waited 60 s for the restore").isBefore(deadline);
            Thread.sleep(100); // polling a restore on Jenkins' queue, not timing anything
        }
        return run;
    }
}
