package dev.rollbackdeploy.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A named Kubernetes cluster: either a kubeconfig in a secret-file credential (with an optional
 * context), or an API server URL with a bearer token in a secret-text credential; and the namespace
 * deployments go to. Only credential ids are stored.
 */
public final class KubernetesClusterConfig implements Describable<KubernetesClusterConfig> {

    private final String name;
    private final String credentialsId;
    private String serverUrl;
    private String context;
    private String namespace;

    @DataBoundConstructor
    public KubernetesClusterConfig(String name, String credentialsId) {
        this.name = Util.fixEmptyAndTrim(name);
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getName() {
        return name;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getServerUrl() {
        return serverUrl;
    }

    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = Util.fixEmptyAndTrim(serverUrl);
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    /**
     * How to reach this cluster with this credential, for the front door's {@link KubernetesConnection}: a
     * secret file's kubeconfig content as it is (no copy on disk), or {@code serverUrl} with a secret text's
     * bearer token, given to fabric8 as a one-user kubeconfig. Sends no request; the secret appears in no
     * message ({@link KubernetesConnection#toString()} names only the credential id).
     *
     * @throws IllegalArgumentException a token without {@code serverUrl}, or a credential of another type
     */
    public KubernetesConnection connection(StandardCredentials credential) throws IOException {
        String origin = "credentials '" + credentialsId + "'";
        if (credential instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return KubernetesConnection.kubeconfigContent(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        origin, context);
            }
        }
        if (credential instanceof StringCredentials token) {
            if (serverUrl == null) {
                throw new IllegalArgumentException(Messages.KubernetesClusterConfig_ServerUrlRequired(name));
            }
            return KubernetesConnection.kubeconfigContent(TokenKubeconfig.of(serverUrl, token.getSecret().getPlainText()),
                    origin + " for " + serverUrl, TokenKubeconfig.CONTEXT);
        }
        throw new IllegalArgumentException(Messages.KubernetesClusterConfig_WrongCredentialType(credentialsId,
                credential == null ? "none" : credential.getClass().getSimpleName()));
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<KubernetesClusterConfig> {

        @Override
        public String getDisplayName() {
            return Messages.KubernetesClusterConfig_DisplayName();
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return Fields.checkName(value);
        }

        public FormValidation doCheckServerUrl(@QueryParameter String value) {
            return Fields.checkHttpUrl(value, false);
        }

        public FormValidation doCheckNamespace(@QueryParameter String value) {
            String namespace = Util.fixEmptyAndTrim(value);
            if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                return FormValidation.error(Messages.KubernetesClusterConfig_NamespaceInvalid(namespace));
            }
            return FormValidation.ok();
        }

        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error(Messages.KubernetesClusterConfig_CredentialsRequired());
            }
            return FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            ListBoxModel files = SecretLookup.choices(credentialsId, FileCredentials.class);
            ListBoxModel tokens = SecretLookup.choices(null, StringCredentials.class);
            tokens.stream().filter(o -> !o.value.isEmpty()).forEach(files::add);
            return files;
        }

        /** Asks the API server for its version and the namespace; administrators only. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String credentialsId, @QueryParameter String serverUrl,
                @QueryParameter String context, @QueryParameter String namespace) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            KubernetesClusterConfig cluster = new KubernetesClusterConfig("test", credentialsId);
            cluster.setServerUrl(serverUrl);
            cluster.setContext(context);
            cluster.setNamespace(namespace);
            StandardCredentials credential = SecretLookup.forSystem(credentialsId, StandardCredentials.class);
            if (credential == null) {
                return FormValidation.error(Messages.SecretLookup_NotFound(credentialsId, "FileCredentials or StringCredentials",
                        serverUrl == null ? "-" : serverUrl));
            }
            try {
                return ConnectionTests.kubernetes(cluster.connection(credential).connect(), cluster.getNamespace());
            } catch (IOException | IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
