package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.operations.FlagSwitch;
import dev.rollbackdeploy.operations.InvalidSpecException;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.SafetyFields;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The kill switch of a deployment target (docs/safety.md): the flags its releases sit behind, in one
 * Unleash project and environment or behind a flag webhook, turned off by an abort, a gate's rollback,
 * {@code rollbackTo} and the rollback button before (or instead of) moving traffic. The admin API token
 * or bearer token lives in a secret-text credential; only its id is stored here.
 */
public final class KillSwitchConfig implements Describable<KillSwitchConfig> {

    private final String target;
    private final String provider;
    private final String url;
    private String credentialsId;
    private String project = "default";
    private String environment;
    private String flags;
    private String mode = KillSwitchSpec.Mode.BEFORE_TRAFFIC.name();

    /**
     * @param target   the target key whose releases these flags belong to
     * @param provider {@code unleash} or {@code webhook}
     */
    @DataBoundConstructor
    public KillSwitchConfig(String target, String provider, String url) {
        this.target = Util.fixEmptyAndTrim(target);
        this.provider = Util.fixEmptyAndTrim(provider) == null ? "unleash" : provider.strip();
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getTarget() { return target; }
    public String getProvider() { return provider; }
    public String getUrl() { return url; }
    public String getCredentialsId() { return credentialsId; }
    public String getProject() { return project; }
    public String getEnvironment() { return environment; }
    /** The flags to turn off, one per line (commas also separate). */
    public String getFlags() { return flags; }
    public String getMode() { return mode; }

    @DataBoundSetter public void setCredentialsId(String value) { credentialsId = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setProject(String value) { project = Util.fixEmptyAndTrim(value) == null ? "default" : value.strip(); }
    @DataBoundSetter public void setEnvironment(String value) { environment = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setFlags(String value) { flags = Util.fixEmptyAndTrim(value); }

    @DataBoundSetter
    public void setMode(String value) {
        mode = Util.fixEmptyAndTrim(value) == null ? KillSwitchSpec.Mode.BEFORE_TRAFFIC.name() : value.strip();
    }

    public List<String> flagList() {
        return Fields.split(flags);
    }

    /**
     * The front door's kill switch with this token, built by the front door's {@link SafetyFields} exactly as a
     * spec file's {@code flags} section is (one place that knows the providers).
     *
     * @throws OperationException INVALID naming the field and the value (provider, URL, project, environment, flags, mode)
     */
    public FlagSwitch toFlagSwitch(String token) throws OperationException {
        KillSwitchSpec checked = spec();
        try {
            return new SafetyFields().flags(provider, url, token, project, environment, checked.flags())
                    .flagsMode(checked.mode() == KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC ? "instead-of-traffic" : "before-traffic")
                    .toSafety("kill switch of target " + target).killSwitch()
                    .orElseThrow(() -> invalid("no kill switch could be made of this configuration", null));
        } catch (InvalidSpecException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage(), e);
        }
    }

    /** @throws OperationException INVALID naming the bad flags or mode */
    public KillSwitchSpec spec() throws OperationException {
        KillSwitchSpec.Mode parsed;
        try {
            parsed = KillSwitchSpec.Mode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            throw invalid("mode must be BEFORE_TRAFFIC or INSTEAD_OF_TRAFFIC, got '" + mode + "'", e);
        }
        try {
            return new KillSwitchSpec(flagList(), parsed);
        } catch (IllegalArgumentException e) {
            throw invalid("flags: " + e.getMessage(), e);
        }
    }

    /** "flags [a, b] (before traffic)", for pages and logs; the store's own description is the front door's. */
    public String describeMode() {
        return KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC.name().equals(mode)
                ? Messages.KillSwitchConfig_InsteadOfTraffic() : Messages.KillSwitchConfig_BeforeTraffic();
    }

    private OperationException invalid(String message, Exception cause) {
        return new OperationException(OperationException.Kind.INVALID, "kill switch of target " + target + ": " + message,
                cause);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<KillSwitchConfig> {

        @Override
        public String getDisplayName() {
            return Messages.KillSwitchConfig_DisplayName();
        }

        public FormValidation doCheckTarget(@QueryParameter String value) {
            return Fields.checkName(value);
        }

        public FormValidation doCheckUrl(@QueryParameter String value) {
            return Fields.checkHttpUrl(value, true);
        }

        public FormValidation doCheckFlags(@QueryParameter String value) {
            return Fields.checkList(value, "flag");
        }

        public FormValidation doCheckEnvironment(@QueryParameter String value, @QueryParameter String provider) {
            if ("unleash".equals(Util.fixEmptyAndTrim(provider)) && Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error(Messages.KillSwitchConfig_EnvironmentRequired());
            }
            return FormValidation.ok();
        }

        public ListBoxModel doFillProviderItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("Unleash (Admin API)", "unleash");
            items.add("Flag webhook (GET/PUT <url>/<flag>)", "webhook");
            return items;
        }

        public ListBoxModel doFillModeItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.KillSwitchConfig_BeforeTraffic(), KillSwitchSpec.Mode.BEFORE_TRAFFIC.name());
            items.add(Messages.KillSwitchConfig_InsteadOfTraffic(), KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC.name());
            return items;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return SecretLookup.choices(credentialsId, StringCredentials.class);
        }

        /** Reads every flag through the store with the configured token (changes nothing); administrators only. */
        @POST
        public FormValidation doTestFlags(@QueryParameter String target, @QueryParameter String provider,
                @QueryParameter String url, @QueryParameter String credentialsId, @QueryParameter String project,
                @QueryParameter String environment, @QueryParameter String flags) throws InterruptedException {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            FormValidation urlCheck = Fields.checkHttpUrl(url, true);
            if (urlCheck.kind != FormValidation.Kind.OK) {
                return urlCheck;
            }
            KillSwitchConfig config = new KillSwitchConfig(Util.fixEmptyAndTrim(target) == null ? "test" : target,
                    provider, url);
            config.setProject(project);
            config.setEnvironment(environment);
            config.setFlags(flags);
            String token = null;
            if (Util.fixEmptyAndTrim(credentialsId) != null) {
                StringCredentials credential = SecretLookup.forSystem(credentialsId, StringCredentials.class);
                if (credential == null) {
                    return FormValidation.error(Messages.SecretLookup_NotFound(credentialsId, "StringCredentials", url));
                }
                token = credential.getSecret().getPlainText();
            }
            return ConnectionTests.flags(config, token);
        }
    }
}
