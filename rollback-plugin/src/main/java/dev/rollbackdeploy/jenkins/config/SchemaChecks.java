package dev.rollbackdeploy.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.OperationException;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.ACL;
import java.util.List;
import java.util.Optional;

/**
 * The configured database of a target ({@link SchemaDatasourceConfig}) with its login, for the schema
 * check before a rollback: in a build, the credential as the run sees it; for the rollback button (a
 * queue task, no run), as the system in the job's context. The password never leaves the datasource.
 */
public final class SchemaChecks {

    private SchemaChecks() {
    }

    /** @throws AbortException the credential is not visible to the run; OperationException a bad URL, tool or table */
    public static Optional<Datasource> forRun(Run<?, ?> run, String target) throws AbortException, OperationException {
        Optional<SchemaDatasourceConfig> config = RollbackConfiguration.get().datasource(target);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String id = config.get().getCredentialsId();
        StandardUsernamePasswordCredentials login = id == null ? null
                : SecretLookup.forRun(run, id, StandardUsernamePasswordCredentials.class, "schema datasource of " + target);
        return Optional.of(config.get().toDatasource(login));
    }

    /** @throws OperationException INVALID when the credential is missing, or a bad URL, tool or table */
    public static Optional<Datasource> forItem(Item job, String target) throws OperationException {
        Optional<SchemaDatasourceConfig> config = RollbackConfiguration.get().datasource(target);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String id = config.get().getCredentialsId();
        StandardUsernamePasswordCredentials login = null;
        if (id != null) {
            login = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItem(
                    StandardUsernamePasswordCredentials.class, job, ACL.SYSTEM2, List.of()), CredentialsMatchers.withId(id));
            if (login == null) {
                throw new OperationException(OperationException.Kind.INVALID, Messages.SecretLookup_NotFound(id,
                        "StandardUsernamePasswordCredentials", "schema datasource of " + target));
            }
        }
        return Optional.of(config.get().toDatasource(login));
    }
}
