package dev.rollbackdeploy.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Finds the credentials a configured target names. In a build they are looked up in the run's context
 * (so folder credentials and the run's authentication apply, and the use is tracked); on the global
 * configuration page, where there is no run, as the system. The secret never leaves the caller: no
 * method here prints or returns it in a message.
 */
public final class SecretLookup {

    private SecretLookup() {
    }

    /**
     * The credential {@code id} of this type, as the run sees it.
     *
     * @throws AbortException naming the id, the type wanted and the target that named it
     */
    public static <C extends StandardCredentials> C forRun(Run<?, ?> run, String id, Class<C> type, String target)
            throws AbortException {
        C found = CredentialsProvider.findCredentialById(id, type, run);
        if (found == null) {
            throw new AbortException(Messages.SecretLookup_NotFound(id, type.getSimpleName(), target));
        }
        CredentialsProvider.track(run, found);
        return found;
    }

    /**
     * The credential {@code id} of this type as a build of {@code item} would see it (folder credentials
     * included): for work a user starts from the item's pages, such as "Roll back to this build".
     *
     * @throws AbortException naming the id, the type wanted and the target that named it
     */
    public static <C extends StandardCredentials> C forItem(Item item, String id, Class<C> type, String target)
            throws AbortException {
        List<C> all = CredentialsProvider.lookupCredentialsInItem(type, item, ACL.SYSTEM2, List.of());
        C found = CredentialsMatchers.firstOrNull(all, CredentialsMatchers.withId(id));
        if (found == null) {
            throw new AbortException(Messages.SecretLookup_NotFound(id, type.getSimpleName(), target));
        }
        CredentialsProvider.track(item, found);
        return found;
    }

    /** The same for the configuration page ("Test connection"), as the system; null when absent. */
    static <C extends StandardCredentials> C forSystem(String id, Class<C> type) {
        if (Util.fixEmptyAndTrim(id) == null) {
            return null;
        }
        List<C> all = CredentialsProvider.lookupCredentialsInItemGroup(type, Jenkins.get(), ACL.SYSTEM2, List.of());
        return CredentialsMatchers.firstOrNull(all, CredentialsMatchers.withId(id));
    }

    /** The ids a configuration page may offer; only an administrator sees them. */
    static ListBoxModel choices(String current, Class<? extends StandardCredentials> type) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return model.includeCurrentValue(current);
        }
        model.includeEmptyValue();
        model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, List.of(), CredentialsMatchers.always());
        return model.includeCurrentValue(current);
    }
}
