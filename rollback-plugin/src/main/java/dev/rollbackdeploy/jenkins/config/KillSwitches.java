package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.operations.FlagSwitch;
import dev.rollbackdeploy.operations.OperationException;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Run;
import java.util.Optional;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The configured kill switch of a target ({@link KillSwitchConfig}) with its token, as the front door's
 * {@link FlagSwitch}: in a build, the credential as the run sees it; for the rollback button (a queue
 * task, no run), as a build of the page's job would see it. The token goes only into the store's
 * {@code Authorization} header.
 */
public final class KillSwitches {

    private KillSwitches() {
    }

    /**
     * @throws AbortException the credential is not visible to the run
     * @throws OperationException INVALID naming a bad field of the configuration
     */
    public static Optional<FlagSwitch> forRun(Run<?, ?> run, String target) throws AbortException, OperationException {
        Optional<KillSwitchConfig> config = RollbackConfiguration.get().killSwitch(target);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String id = config.get().getCredentialsId();
        String token = id == null ? null : SecretLookup.forRun(run, id, StringCredentials.class, what(target))
                .getSecret().getPlainText();
        return Optional.of(config.get().toFlagSwitch(token));
    }

    /** @throws OperationException INVALID when the credential is missing or a field of the configuration is bad */
    public static Optional<FlagSwitch> forItem(Item job, String target) throws OperationException {
        Optional<KillSwitchConfig> config = RollbackConfiguration.get().killSwitch(target);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String id = config.get().getCredentialsId();
        String token = null;
        if (id != null) {
            try {
                token = SecretLookup.forItem(job, id, StringCredentials.class, what(target)).getSecret().getPlainText();
            } catch (AbortException e) {
                throw new OperationException(OperationException.Kind.INVALID, e.getMessage(), e);
            }
        }
        return Optional.of(config.get().toFlagSwitch(token));
    }

    private static String what(String target) {
        return "kill switch of target " + target;
    }
}
