package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.schema.RecoveryCommand;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The point-in-time-recovery command of a deployment target (docs/safety.md): run by a restore only when a
 * person confirms ({@code rollbackTo recover: 'reason'}, the rollback page's checkbox), without a shell,
 * its output kept under {@code JENKINS_HOME/rollback-deploy/recovery/}. Credentials the command needs
 * belong in its own environment or files on the controller, never in its arguments (the program is recorded).
 */
public final class RecoveryCommandConfig implements Describable<RecoveryCommandConfig> {

    private final String target;
    private final String command;
    private int timeoutSeconds = 3600;

    /** @param command the program and its arguments, one per line */
    @DataBoundConstructor
    public RecoveryCommandConfig(String target, String command) {
        this.target = Util.fixEmptyAndTrim(target);
        this.command = Util.fixEmptyAndTrim(command);
    }

    public String getTarget() { return target; }
    public String getCommand() { return command; }
    public int getTimeoutSeconds() { return timeoutSeconds; }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** One argument per line, each as typed (blank lines skipped; no quoting, no shell). */
    static List<String> argv(String command) {
        List<String> argv = new ArrayList<>();
        if (command != null) {
            for (String line : command.split("\\R")) {
                if (!line.isBlank()) {
                    argv.add(line.strip());
                }
            }
        }
        return argv;
    }

    /** @throws OperationException INVALID naming the empty command or the timeout */
    public RecoveryCommand toCommand() throws OperationException {
        try {
            return new RecoveryCommand(argv(command), Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new OperationException(OperationException.Kind.INVALID, "recovery command of target " + target + ": "
                    + e.getMessage(), e);
        }
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<RecoveryCommandConfig> {

        @Override
        public String getDisplayName() {
            return Messages.RecoveryCommandConfig_DisplayName();
        }

        public FormValidation doCheckTarget(@QueryParameter String value) {
            return Fields.checkName(value);
        }

        public FormValidation doCheckCommand(@QueryParameter String value) {
            List<String> argv = argv(value);
            if (argv.isEmpty()) {
                return FormValidation.error(Messages.RecoveryCommandConfig_CommandRequired());
            }
            if (!argv.get(0).startsWith("/")) {
                return FormValidation.warning(Messages.RecoveryCommandConfig_NotAbsolute(argv.get(0)));
            }
            return FormValidation.ok();
        }

        public FormValidation doCheckTimeoutSeconds(@QueryParameter int value) {
            return Fields.checkPositiveSeconds(value, "recovery timeout", 12 * 3600);
        }
    }
}
