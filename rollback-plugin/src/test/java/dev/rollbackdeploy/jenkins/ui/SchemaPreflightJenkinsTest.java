package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.config.SchemaDatasourceConfig;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordSafety;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaRequirement;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.model.Jenkins;
import org.flywaydb.core.Flyway;
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
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * The schema check before {@code rollbackTo} and on the rollback page, in a JenkinsRule Jenkins against a real
 * PostgreSQL migrated by Flyway and a real HAProxy: shop#1 ran with schema 1, shop#2 is live, and a contract
 * migration since refuses shop#1 (naming it) until a person overrides with a reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaPreflightJenkinsTest {

    private static final String DATABASE = "shop";
    private static SharedJenkins j;
    private static LocalHAProxy haproxy;
    private static LocalPostgres postgres;
    private static DeploymentRecord first;
    private static DeploymentRecord second;
    private static WorkflowJob ops;
    private static WorkflowRun shop2Restored;

    @TempDir
    static Path migrations;

    @BeforeAll
    static void start() throws Throwable {
        postgres = LocalPostgres.start();
        postgres.createDatabase(DATABASE);
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", 1, 0), new LocalHAProxy.Server("c1", 2, 100)));
        j = SharedJenkins.start(SchemaPreflightJenkinsTest.class);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone()
                .grant(RollbackPermission.ROLLBACK).everywhere().to("alice")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "shop-db", "shop database", LocalPostgres.USER, "never-printed-s3cret"));
        migrate("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);");
        datasource(postgres.jdbcUrl(DATABASE));
        FreeStyleProject shop = j.createFreeStyleProject("shop");
        FreeStyleBuild b1 = j.buildAndAssertSuccess(shop);
        FreeStyleBuild b2 = j.buildAndAssertSuccess(shop);
        first = attach(b1, 100, 0, SchemaRequirement.declared("1", null, null));
        // the newer build, known to run on everything up to schema 3, so the tests can put it back
        second = attach(b2, 0, 100, SchemaRequirement.declared("1", null, "3"));
        ops = j.createProject(WorkflowJob.class, "ops");
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
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    @Order(1)
    void onlyExpandMigrationsSinceTheBuildLetRollbackToProceedShowingTheCheck() throws Exception {
        migrate("V2__expand_add_email.sql", "ALTER TABLE customer ADD COLUMN email text;");

        WorkflowRun run = pipeline("rollbackTo 'shop#1'", Result.SUCCESS);

        j.assertLogContains("schema check: schema 2 is compatible: only expand migrations since", run);
        assertThat(Records.live(first)).isTrue();
        // shop#2 live again for the next test, put there by this restore, which is recorded as its ops build
        shop2Restored = pipeline("rollbackTo 'shop#2'", Result.SUCCESS);
    }

    @Test
    @Order(2)
    void aContractMigrationRefusesRollbackToAndThePageNamingTheMigrationsUntilOverridden() throws Exception {
        migrate("V3__contract_drop_name.sql", "ALTER TABLE customer DROP COLUMN name;");

        WorkflowRun refused = pipeline("rollbackTo 'shop#1'", Result.FAILURE);

        j.assertLogContains("rollback to shop#1 refused", refused);
        j.assertLogContains("V3 \"contract drop name\" (V3__contract_drop_name.sql) contract", refused);
        j.assertLogContains("nothing was changed", refused);
        j.assertLogNotContains("never-printed-s3cret", refused);
        assertThat(Records.live(second)).as("nothing moved").isTrue();
        String page = j.createWebClient().login("alice").goTo("job/shop/1/rollback/").getWebResponse().getContentAsString();
        assertThat(page).contains("id=\"rollback-schema\"", "V3__contract_drop_name.sql", "name=\"overrideSchema\"")
                .doesNotContain("never-printed-s3cret");

        WorkflowRun overridden = pipeline("rollbackTo build: 'shop#1', overrideSchema: 'shop#1 never reads customer.name'",
                Result.SUCCESS);

        j.assertLogContains("OVERRIDDEN by jenkins ops#", overridden);
        assertThat(Records.live(first)).isTrue();
        List<AuditEntry> audit = AuditLog.besideStore(ControllerRecords.storeDir()).read();
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.event().action()).isEqualTo(AuditAction.OVERRIDE);
            assertThat(e.event().reason()).isEqualTo("shop#1 never reads customer.name");
            assertThat(e.event().evidence()).contains("V3__contract_drop_name.sql");
            // what was live is shop#2 as the restore recorded as that ops build put it back (issue 11: a restore
            // in a build without a record is recorded as that build, and counts as what it made live)
            assertThat(String.valueOf(e.event().from())).isEqualTo("ops#" + shop2Restored.getNumber());
        });
        assertThat(audit).anySatisfy(e -> assertThat(e.event().reason()).startsWith("REFUSED: rollbackTo shop#1"));
    }

    @Test
    @Order(3)
    void anUnreachableDatabaseRefusesRollbackToEvenWhenOverridden() throws Exception {
        pipeline("rollbackTo 'shop#2'", Result.SUCCESS);
        try (ServerSocket socket = new ServerSocket(0)) {
            datasource("jdbc:postgresql://127.0.0.1:" + socket.getLocalPort() + "/" + DATABASE + "?connectTimeout=1");
        }
        try {
            WorkflowRun refused = pipeline("rollbackTo build: 'shop#1', overrideSchema: 'the database is surely fine'",
                    Result.FAILURE);

            j.assertLogContains("the schema cannot be checked", refused);
            j.assertLogContains("refusing rather than rolling back blindly", refused);
            assertThat(Records.live(second)).isTrue();
        } finally {
            datasource(postgres.jdbcUrl(DATABASE));
        }
    }

    private static DeploymentRecord attach(FreeStyleBuild build, int stable, int canary, SchemaRequirement schema)
            throws Exception {
        DeploymentRecord record = Records.of(build, "shop-db", haproxy.adminSocket(), stable, canary)
                .withSafety(RecordSafety.NONE.withSchema(SchemaJson.requirement(schema)));
        ControllerRecords.store().save(record);
        DeploymentRecordAction.attachRecordToRun(build, record);
        return record;
    }

    private static WorkflowRun pipeline(String script, Result expected) throws Exception {
        ops.setDefinition(new CpsFlowDefinition(script, true));
        return j.assertBuildStatus(expected, ops.scheduleBuild2(0));
    }

    private static void datasource(String url) {
        SchemaDatasourceConfig config = new SchemaDatasourceConfig("shop-db", url);
        config.setCredentialsId("shop-db");
        config.setTable("public.flyway_schema_history");
        RollbackConfiguration.get().setDatasources(List.of(config));
    }

    private static void migrate(String name, String sql) throws Exception {
        Files.writeString(migrations.resolve(name), sql);
        Flyway.configure().dataSource(postgres.jdbcUrl(DATABASE), LocalPostgres.USER, null)
                .locations("filesystem:" + migrations).load().migrate();
    }
}
