package dev.rollbackdeploy.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.RuntimeApi;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.time.Duration;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A named HAProxy-fronted VM target: the Runtime API of every load balancer in front of it, the
 * backend, and which servers run the stable and which the canary version. The Runtime API has no
 * authentication of its own (the socket's permissions guard it); the credentials id is what the
 * deployment records name as the target's access, as the CLI's specs do.
 */
public final class HAProxyTargetConfig implements Describable<HAProxyTargetConfig> {

    private static final Duration RUNTIME_API_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final String runtimeApis;
    private final String backend;
    private final String stableServers;
    private final String canaryServers;
    private String credentialsId;

    @DataBoundConstructor
    public HAProxyTargetConfig(String name, String runtimeApis, String backend, String stableServers,
            String canaryServers) {
        this.name = Util.fixEmptyAndTrim(name);
        this.runtimeApis = Util.fixEmptyAndTrim(runtimeApis);
        this.backend = Util.fixEmptyAndTrim(backend);
        this.stableServers = Util.fixEmptyAndTrim(stableServers);
        this.canaryServers = Util.fixEmptyAndTrim(canaryServers);
    }

    public String getName() {
        return name;
    }

    public String getRuntimeApis() {
        return runtimeApis;
    }

    public String getBackend() {
        return backend;
    }

    public String getStableServers() {
        return stableServers;
    }

    public String getCanaryServers() {
        return canaryServers;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** One socket path ({@code /run/haproxy/admin.sock}) or {@code host:port} per load balancer. */
    public List<String> runtimeApiList() {
        return Fields.split(runtimeApis);
    }

    /** @throws IllegalArgumentException naming the bad backend or server name */
    public HAProxyBackend toBackend() {
        return new HAProxyBackend(backend, Fields.split(stableServers), Fields.split(canaryServers));
    }

    /** @throws IllegalArgumentException naming the endpoint that is neither a socket path nor host:port */
    public List<RuntimeApi> toRuntimeApis() {
        return runtimeApiList().stream().map(s -> (RuntimeApi) new RuntimeApiClient(s, RUNTIME_API_TIMEOUT)).toList();
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<HAProxyTargetConfig> {

        @Override
        public String getDisplayName() {
            return Messages.HAProxyTargetConfig_DisplayName();
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return Fields.checkName(value);
        }

        public FormValidation doCheckRuntimeApis(@QueryParameter String value) {
            List<String> endpoints = Fields.split(value);
            if (endpoints.isEmpty()) {
                return FormValidation.error(Messages.HAProxyTargetConfig_RuntimeApisRequired());
            }
            for (String endpoint : endpoints) {
                try {
                    new RuntimeApiClient(endpoint, RUNTIME_API_TIMEOUT);
                } catch (IllegalArgumentException e) {
                    return FormValidation.error(e.getMessage());
                }
            }
            return FormValidation.ok();
        }

        public FormValidation doCheckBackend(@QueryParameter String value) {
            return Fields.checkList(value, "backend");
        }

        public FormValidation doCheckStableServers(@QueryParameter String value) {
            return Fields.checkList(value, "stable servers");
        }

        public FormValidation doCheckCanaryServers(@QueryParameter String value) {
            return Fields.checkList(value, "canary servers");
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return SecretLookup.choices(credentialsId, StandardCredentials.class);
        }

        /** Reads the backend on every load balancer and checks it as a deployment would; administrators only. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String runtimeApis, @QueryParameter String backend,
                @QueryParameter String stableServers, @QueryParameter String canaryServers) throws InterruptedException {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            HAProxyTargetConfig target = new HAProxyTargetConfig("test", runtimeApis, backend, stableServers, canaryServers);
            try {
                return ConnectionTests.haproxy(target.toBackend(), target.toRuntimeApis());
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
