package dev.rollbackdeploy.jenkins.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.jenkins.config.PrometheusEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The packaged .hpi in the real Jenkins process (matrix-auth: admin administers, user only builds). */
class PluginInstallsIT {

    @RegisterExtension
    static final RealJenkins JENKINS = RealJenkins.matrix();

    @Test
    void pluginIsActiveAndNoSevereLogLineNamesIt() throws Exception {
        System.out.println("start-jenkins until fully up with rollback-deploy: " + JENKINS.lastStart().toMillis() + " ms");
        JenkinsRest.Response plugins = JENKINS.admin().get("pluginManager/api/json?depth=1&tree=plugins[shortName,active,enabled]");
        assertThat(plugins.status()).isEqualTo(200);
        assertThat(plugins.body()).contains("\"active\":true,\"enabled\":true,\"shortName\":\"rollback-deploy\"");
        assertThat(severeBlocks(JENKINS.log())).noneMatch(block -> block.contains("rollback-deploy") || block.contains("dev.rollbackdeploy"));
    }

    @Test
    void globalConfigurationRendersForAdminAndIsRefusedToUser() throws Exception {
        JenkinsRest.Response page = JENKINS.admin().get("manage/configure");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Rollback Deploy", "Prometheus endpoints", "HAProxy targets", "Kubernetes clusters");
        assertThat(JENKINS.user().get("manage/configure").status()).isEqualTo(403);
    }

    @Test
    void testConnectionIsAPostForAdministratorsOnly() throws Exception {
        String path = "descriptorByName/" + PrometheusEndpoint.class.getName()
                + "/testConnection?url=http%3A%2F%2F127.0.0.1%3A1%2F&credentialsId=&scrapeIntervalSeconds=15&queryTimeoutSeconds=2";
        assertThat(JENKINS.user().post(path, null, null).status()).isEqualTo(403);
        JenkinsRest.Response admin = JENKINS.admin().post(path, null, null);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains("127.0.0.1:1");
        assertThat(JENKINS.admin().get(path).status()).isIn(404, 405);
    }

    @Test
    void pipelineSyntaxPageListsOurFourSteps() throws Exception {
        JENKINS.admin().createPipeline("syntax", "echo 'hi'");
        JenkinsRest.Response page = JENKINS.admin().get("job/syntax/pipeline-syntax/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("canaryDeploy", "metricsGate", "rollbackTo", "rollbackDrill");
    }

    /** Each SEVERE line with the lines of its stack trace (until the next log record). */
    static List<String> severeBlocks(String log) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : log.split("\n")) {
            boolean record = line.matches("^\\d{4}-\\d{2}-\\d{2}.*");
            if (record && current != null) {
                blocks.add(current.toString());
                current = null;
            }
            if (line.contains("SEVERE")) {
                current = new StringBuilder(line);
            } else if (current != null) {
                current.append('\n').append(line);
            }
        }
        if (current != null) {
            blocks.add(current.toString());
        }
        return blocks;
    }
}
