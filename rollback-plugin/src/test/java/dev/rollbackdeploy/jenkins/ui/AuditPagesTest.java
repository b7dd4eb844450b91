package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.record.BuildRef;
import hudson.model.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * Issue 11 item 3: the job's Deployments page reads the controller's hash-chained audit log — this job's
 * entries, escaped — and its audit page verifies the whole log: intact with its head, then tampering found
 * after an entry is edited on disk (details for administrators only), and a record no entry names once
 * the log and its head are deleted. The entries are appended with the
 * engine's {@link AuditLog}, as the front door appends them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditPagesTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static SharedJenkins j;

    @BeforeAll
    static void start() throws Throwable {
        j = SharedJenkins.start(AuditPagesTest.class);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        j.createFreeStyleProject("shop");
        AuditLog log = AuditLog.besideStore(ControllerRecords.storeDir());
        log.append(new AuditEvent(T0, "jenkins shop#1", AuditAction.DEPLOY, "shop-prod", null, BuildRef.parse("shop#1"),
                "PROMOTED", "gate passed 5 looks", null));
        log.append(new AuditEvent(T0.plusSeconds(60), "alice", AuditAction.ROLLBACK, "shop-prod", BuildRef.parse("shop#2"),
                BuildRef.parse("shop#1"), "<script>alert('x')</script> the checkout broke", "3 writes", null));
        log.append(new AuditEvent(T0.plusSeconds(90), "bob", AuditAction.DEPLOY, "billing-prod", null,
                BuildRef.parse("billing#7"), "PROMOTED", "", null));
    }

    @AfterAll
    static void stop() throws Exception {
        if (j != null) {
            j.after();
        }
    }

    private static JenkinsRule.WebClient client(String user) throws Exception {
        return j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login(user);
    }

    @Test
    @Order(1)
    void theDeploymentsPageShowsThisJobsEntriesNewestFirstAndEscaped() throws Exception {
        HtmlPage page = client("reader").goTo("job/shop/rollback-deployments/");

        String text = page.asNormalizedText();
        assertThat(text).contains("Audit log").contains("ROLLBACK").contains("alice")
                .contains("<script>alert('x')</script> the checkout broke").doesNotContain("billing#7");
        assertThat(text.indexOf("ROLLBACK")).as("newest first").isLessThan(text.indexOf("gate passed 5 looks"));
        assertThat(page.getWebResponse().getContentAsString()).doesNotContain("<script>alert('x')");
    }

    @Test
    @Order(2)
    void theAuditPageVerifiesTheWholeLogAndGivesItsHead() throws Exception {
        HtmlPage page = client("reader").goTo("job/shop/rollback-deployments/audit/");

        String text = page.asNormalizedText();
        assertThat(text).contains("Verified intact: 3 entries").contains("Head: #3 sha256:")
                .contains("shop#2").doesNotContain("billing#7");
    }

    @Test
    @Order(3)
    void anEntryEditedOnDiskIsFoundAndOnlyAdministratorsSeeTheDetails() throws Exception {
        Path file = AuditLog.besideStore(ControllerRecords.storeDir()).file();
        String log = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, log.replace("the checkout broke", "all was fine"), StandardCharsets.UTF_8);

        String reader = client("reader").goTo("job/shop/rollback-deployments/audit/").asNormalizedText();
        assertThat(reader).contains("Tampering found").contains("EDITED").doesNotContain("line 2: EDITED");
        String admin = client("admin").goTo("job/shop/rollback-deployments/audit/").asNormalizedText();
        assertThat(admin).contains("Tampering found").contains("line 2: EDITED");
        String deployments = client("reader").goTo("job/shop/rollback-deployments/").asNormalizedText();
        assertThat(deployments).contains("audit log").doesNotContain("all was fine");
    }

    @Test
    @Order(4)
    void aLogDeletedWithItsHeadWhileRecordsAreLeftIsTamperingNotNothingYet() throws Exception {
        Path file = AuditLog.besideStore(ControllerRecords.storeDir()).file();
        ControllerRecords.store().save(Records.of(BuildRef.parse("shop#5"), "shop-prod", Path.of("/tmp/no-haproxy.sock"),
                100, 0));
        Files.delete(file);
        Files.delete(file.resolveSibling("audit.jsonl.head"));

        String reader = client("reader").goTo("job/shop/rollback-deployments/audit/").asNormalizedText();
        assertThat(reader).contains("Tampering found").contains("RECORD_NOT_AUDITED").doesNotContain("Nothing was appended");
        String admin = client("admin").goTo("job/shop/rollback-deployments/audit/").asNormalizedText();
        assertThat(admin).contains("the record of shop#5 (target shop-prod) is in the store but no audit entry names it");
    }
}
