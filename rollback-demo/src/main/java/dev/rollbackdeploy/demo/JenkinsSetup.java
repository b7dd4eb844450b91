package dev.rollbackdeploy.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * Configures the plugin as an administrator would, through Jenkins' own HTTP APIs (never by writing
 * files into JENKINS_HOME): a Secret-text credential through the credentials store's
 * {@code createCredentials}, the Rollback Deploy global configuration through the script console, and
 * the demo Pipeline job through {@code createItem}.
 */
final class JenkinsSetup {

    static final String TARGET = "shop-vms";
    static final String PROMETHEUS = "local";
    static final String CREDENTIALS_ID = "demo-prometheus-token";

    private final JenkinsSession admin;
    private final PrintStream out;

    JenkinsSetup(JenkinsSession admin, PrintStream out) {
        this.admin = admin;
        this.out = out;
    }

    /**
     * The Prometheus bearer token the plugin sends (the local Prometheus ignores it; a real one would
     * not): only its id is ever stored in the plugin's configuration.
     */
    void credentials(String token) throws IOException, InterruptedException {
        String xml = "<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>"
                + "<scope>GLOBAL</scope><id>" + CREDENTIALS_ID + "</id>"
                + "<description>Prometheus bearer token (demo)</description><secret>" + token + "</secret>"
                + "</org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>";
        JenkinsSession.Response r = admin.post("manage/credentials/store/system/domain/_/createCredentials",
                "application/xml", xml);
        expect(r, "creating the credential " + CREDENTIALS_ID, 200, 302);
        out.println("jenkins: credential " + CREDENTIALS_ID + " (Secret text) created in the system store");
    }

    /** Manage Jenkins → System → Rollback Deploy: the Prometheus endpoint and the HAProxy target. */
    void configuration(Map<String, String> env) throws IOException, InterruptedException {
        String script = String.join("\n",
                "import dev.rollbackdeploy.jenkins.config.*",
                "def c = RollbackConfiguration.get()",
                "def p = new PrometheusEndpoint('" + PROMETHEUS + "', '" + env.get("DEMO_PROMETHEUS_URL") + "')",
                "p.credentialsId = '" + CREDENTIALS_ID + "'",
                "p.scrapeIntervalSeconds = 1",
                "c.prometheusEndpoints = [p]",
                "c.haproxyTargets = [new HAProxyTargetConfig('" + TARGET + "', '" + env.get("DEMO_HAPROXY_SOCKET") + "', '"
                        + env.get("DEMO_HAPROXY_BACKEND") + "', '" + env.get("DEMO_STABLE_SERVERS") + "', '"
                        + env.get("DEMO_CANARY_SERVERS") + "')]",
                "println \"configured: prometheus ${c.prometheusEndpoints*.name}, haproxy ${c.haproxyTargets*.name}\"");
        JenkinsSession.Response r = admin.post("scriptText", null, "script=" + JenkinsSession.encode(script));
        expect(r, "configuring Rollback Deploy through the script console", 200);
        if (!r.body().contains("configured: prometheus [" + PROMETHEUS + "]")) {
            throw new IOException("the script console did not configure Rollback Deploy; it answered:\n" + r.body());
        }
        out.println("jenkins: Rollback Deploy configured — Prometheus '" + PROMETHEUS + "' " + env.get("DEMO_PROMETHEUS_URL")
                + " (token: " + CREDENTIALS_ID + "), HAProxy target '" + TARGET + "' (backend "
                + env.get("DEMO_HAPROXY_BACKEND") + ", stable " + env.get("DEMO_STABLE_SERVERS") + ", canary "
                + env.get("DEMO_CANARY_SERVERS") + ")");
    }

    /** Creates the Pipeline job running this Jenkinsfile in the Groovy sandbox, as a user's job runs. */
    void job(String name, String jenkinsfile) throws IOException, InterruptedException {
        String xml = "<?xml version='1.1' encoding='UTF-8'?><flow-definition plugin=\"workflow-job\">"
                + "<description>The rollback-deploy demo: canaryDeploy, metricsGate and rollbackTo on HAProxy-fronted"
                + " VMs (demo/Jenkinsfile).</description>"
                + "<definition class=\"org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition\" plugin=\"workflow-cps\">"
                + "<script>" + escapeXml(jenkinsfile) + "</script><sandbox>true</sandbox></definition></flow-definition>";
        JenkinsSession.Response r = admin.post("createItem?name=" + JenkinsSession.encode(name), "application/xml", xml);
        expect(r, "creating the job " + name, 200);
        out.println("jenkins: Pipeline job '" + name + "' created from demo/Jenkinsfile");
    }

    static void expect(JenkinsSession.Response r, String what, int... statuses) throws IOException {
        for (int status : statuses) {
            if (r.status() == status) {
                return;
            }
        }
        String body = r.body().length() > 1500 ? r.body().substring(0, 1500) + "…" : r.body();
        throw new IOException(what + " failed: HTTP " + r.status() + "\n" + body);
    }

    static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
