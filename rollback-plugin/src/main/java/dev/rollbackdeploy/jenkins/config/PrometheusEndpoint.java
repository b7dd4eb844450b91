package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.prometheus.PrometheusAuth;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A named Prometheus that gates query. The bearer token lives in a secret-text credential; only its
 * id is stored here, so {@code RollbackConfiguration.xml} and every page hold no secret.
 */
public final class PrometheusEndpoint implements Describable<PrometheusEndpoint> {

    private final String name;
    private final String url;
    private String credentialsId;
    private int scrapeIntervalSeconds = 15;
    private int queryTimeoutSeconds = 10;

    @DataBoundConstructor
    public PrometheusEndpoint(String name, String url) {
        this.name = Util.fixEmptyAndTrim(name);
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public int getScrapeIntervalSeconds() {
        return scrapeIntervalSeconds;
    }

    @DataBoundSetter
    public void setScrapeIntervalSeconds(int scrapeIntervalSeconds) {
        this.scrapeIntervalSeconds = scrapeIntervalSeconds;
    }

    public int getQueryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    @DataBoundSetter
    public void setQueryTimeoutSeconds(int queryTimeoutSeconds) {
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** The adapter's configuration with this token (null: no Authorization header). */
    public PrometheusConfig toConfig(String bearerToken) {
        PrometheusConfig config = PrometheusConfig.of(url)
                .withScrapeInterval(Duration.ofSeconds(scrapeIntervalSeconds))
                .withQueryTimeout(Duration.ofSeconds(queryTimeoutSeconds));
        return bearerToken == null ? config : config.withAuth(PrometheusAuth.bearer(bearerToken));
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<PrometheusEndpoint> {

        @Override
        public String getDisplayName() {
            return Messages.PrometheusEndpoint_DisplayName();
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return Fields.checkName(value);
        }

        public FormValidation doCheckUrl(@QueryParameter String value) {
            return Fields.checkHttpUrl(value, true);
        }

        public FormValidation doCheckScrapeIntervalSeconds(@QueryParameter int value) {
            return Fields.checkPositiveSeconds(value, "scrape interval", 3600);
        }

        public FormValidation doCheckQueryTimeoutSeconds(@QueryParameter int value) {
            return Fields.checkPositiveSeconds(value, "query timeout", 300);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return SecretLookup.choices(credentialsId, StringCredentials.class);
        }

        /** Asks Prometheus for {@code vector(1)} with the configured token; administrators only. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String url, @QueryParameter String credentialsId,
                @QueryParameter int scrapeIntervalSeconds, @QueryParameter int queryTimeoutSeconds)
                throws InterruptedException {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            FormValidation urlCheck = Fields.checkHttpUrl(url, true);
            if (urlCheck.kind != FormValidation.Kind.OK) {
                return urlCheck;
            }
            PrometheusEndpoint endpoint = new PrometheusEndpoint("test", url);
            endpoint.setScrapeIntervalSeconds(Math.max(1, scrapeIntervalSeconds));
            endpoint.setQueryTimeoutSeconds(Math.max(1, Math.min(30, queryTimeoutSeconds)));
            String token = null;
            if (Util.fixEmptyAndTrim(credentialsId) != null) {
                StringCredentials credential = SecretLookup.forSystem(credentialsId, StringCredentials.class);
                if (credential == null) {
                    return FormValidation.error(Messages.SecretLookup_NotFound(credentialsId, "StringCredentials", url));
                }
                token = credential.getSecret().getPlainText();
            }
            return ConnectionTests.prometheus(endpoint.toConfig(token));
        }
    }
}
