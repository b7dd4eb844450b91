package dev.rollbackdeploy.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.OperationException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The database of a deployment target, for the schema check before every rollback of that target
 * (the {@code rollbackTo} step and the rollback button) and the schema version its deploys record
 * (docs/safety.md). The user and password live in a username-with-password credential; only its id
 * is stored here.
 */
public final class SchemaDatasourceConfig implements Describable<SchemaDatasourceConfig> {

    private final String target;
    private final String url;
    private String credentialsId;
    private String tool = "flyway";
    private String table;

    /** @param target the target key whose records this database belongs to (an HAProxy target's name, say) */
    @DataBoundConstructor
    public SchemaDatasourceConfig(String target, String url) {
        this.target = Util.fixEmptyAndTrim(target);
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getTarget() {
        return target;
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

    public String getTool() {
        return tool;
    }

    @DataBoundSetter
    public void setTool(String tool) {
        this.tool = Util.fixEmptyAndTrim(tool) == null ? "flyway" : tool.strip();
    }

    public String getTable() {
        return table;
    }

    @DataBoundSetter
    public void setTable(String table) {
        this.table = Util.fixEmptyAndTrim(table);
    }

    /**
     * The front door's datasource with this login (null credentials: the URL's or the driver's).
     *
     * @throws OperationException INVALID naming the field and the value
     */
    public Datasource toDatasource(StandardUsernamePasswordCredentials login) throws OperationException {
        return Datasource.of("datasource of target " + target, url, login == null ? null : login.getUsername(),
                login == null ? null : login.getPassword().getPlainText(), tool, table);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<SchemaDatasourceConfig> {

        @Override
        public String getDisplayName() {
            return Messages.SchemaDatasourceConfig_DisplayName();
        }

        public FormValidation doCheckTarget(@QueryParameter String value) {
            return Fields.checkName(value);
        }

        public FormValidation doCheckUrl(@QueryParameter String value, @QueryParameter String tool,
                @QueryParameter String table) {
            try {
                Datasource.of("datasource", value, null, null, tool, table);
                return FormValidation.ok();
            } catch (OperationException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        public ListBoxModel doFillToolItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("Flyway (flyway_schema_history)", "flyway");
            items.add("Liquibase (DATABASECHANGELOG)", "liquibase");
            return items;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return SecretLookup.choices(credentialsId, StandardUsernamePasswordCredentials.class);
        }
    }
}
