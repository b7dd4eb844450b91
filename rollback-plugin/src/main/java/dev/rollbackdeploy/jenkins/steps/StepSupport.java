package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.config.HAProxyTargetConfig;
import dev.rollbackdeploy.jenkins.config.KillSwitches;
import dev.rollbackdeploy.operations.FlagSwitch;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.jenkins.config.PrometheusEndpoint;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.config.SecretLookup;
import dev.rollbackdeploy.jenkins.config.SchemaChecks;
import dev.rollbackdeploy.operations.DeploySafety;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.InvalidSpecException;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.SpecBuilder;
import dev.rollbackdeploy.prometheus.PrometheusAuth;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.PrintStream;
import dev.rollbackdeploy.jenkins.ui.ControllerRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import dev.rollbackdeploy.schema.SchemaRequirement;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * What every step needs from Jenkins, translated for the front door: the run's operation context (one
 * record store and lock directory per controller, so any job can restore any other's build) and a
 * deployment spec from the named configured target and Prometheus plus the step's own fields.
 */
final class StepSupport {

    private StepSupport() {
    }

    /** {@code JENKINS_HOME/rollback-deploy/records}, locks next to it. */
    static Path storeDir() {
        return ControllerRecords.storeDir();
    }

    static OperationContext context(Run<?, ?> run, TaskListener listener, String step) {
        PrintStream log = listener.getLogger();
        return OperationContext.nextToStore(storeDir(), Duration.ZERO, "jenkins " + run.getExternalizableId(),
                Clock.systemUTC(), line -> log.println("[" + step + "] " + line));
    }

    /** {@code job#number}, folders included ({@code team/shop#42}): how records name a build. */
    static String buildRef(Run<?, ?> run) {
        return run.getParent().getFullName() + "#" + run.getNumber();
    }

    /**
     * What the deploy records for data safety: the declared schema version, else the one the target's configured
     * schema datasource reads when the deploy is recorded; and the target's configured kill switch, unless the
     * step opted out (docs/safety.md).
     *
     * @throws AbortException naming the field and the value, or the missing credential
     */
    static DeploySafety safety(Run<?, ?> run, String schemaVersion, String target, boolean killSwitch, String stepName)
            throws Exception {
        Optional<SchemaRequirement> declared;
        try {
            declared = schemaVersion == null ? Optional.empty()
                    : Optional.of(SchemaRequirement.declared(schemaVersion, null, null));
        } catch (IllegalArgumentException e) {
            throw new AbortException(stepName + ": " + e.getMessage());
        }
        Optional<FlagSwitch> flags = Optional.empty();
        if (killSwitch) {
            try {
                flags = KillSwitches.forRun(run, target);
            } catch (OperationException e) {
                throw new AbortException(stepName + ": " + e.getMessage());
            }
        }
        return DeploySafety.of(declared, SchemaChecks.forRun(run, target), flags);
    }

    /** One line saying which kill switch this step uses (or that it opted out), from the configuration; no secret. */
    static void describeKillSwitch(TaskListener listener, String stepName, String target, boolean enabled) {
        RollbackConfiguration.get().killSwitch(target).ifPresent(k -> listener.getLogger().println("[" + stepName + "] "
                + (enabled ? Messages.StepSupport_KillSwitch(k.flagList(), k.getProvider(), k.getUrl(), k.describeMode())
                        : Messages.StepSupport_KillSwitchOff(target))));
    }

    /**
     * The front door's spec for this run: the configured target and Prometheus by name, the bearer token
     * from the Prometheus endpoint's credential as the run sees it, and the step's fields.
     *
     * @throws AbortException naming the unknown target or Prometheus, or every problem of the spec
     */
    static DeploymentSpec spec(Run<?, ?> run, GatedStep step, String stepName) throws AbortException {
        return spec(run, step, stepName, List.of());
    }

    /**
     * The same; a {@code canaryDeploy} naming a Kubernetes cluster gets {@code target.kubernetes} with these
     * manifests (the build's copies, {@link KubernetesDeployment#stage}) instead of an HAProxy target.
     */
    static DeploymentSpec spec(Run<?, ?> run, GatedStep step, String stepName, List<String> kubernetesManifests)
            throws AbortException {
        RollbackConfiguration config = RollbackConfiguration.get();
        boolean kubernetes = step instanceof CanaryDeployStep deploy && deploy.isKubernetes();
        HAProxyTargetConfig target = kubernetes ? null : config.haproxyTarget(step.getTarget()).orElseThrow(() -> new AbortException(
                Messages.StepSupport_UnknownTarget(stepName, step.getTarget(), config.getHaproxyTargets().stream()
                        .map(HAProxyTargetConfig::getName).toList())));
        PrometheusEndpoint prometheus = config.prometheus(step.getPrometheus()).orElseThrow(() -> new AbortException(
                Messages.StepSupport_UnknownPrometheus(stepName, step.getPrometheus(), config.getPrometheusEndpoints().stream()
                        .map(PrometheusEndpoint::getName).toList())));
        PrometheusAuth auth = PrometheusAuth.none();
        if (prometheus.getCredentialsId() != null) {
            StringCredentials token = SecretLookup.forRun(run, prometheus.getCredentialsId(), StringCredentials.class,
                    "Prometheus endpoint " + prometheus.getName());
            auth = PrometheusAuth.bearer(token.getSecret().getPlainText());
        }
        String root = Jenkins.get().getRootUrl();
        SpecBuilder builder = DeploymentSpec.builder()
                .build(step.getBuild() != null ? step.getBuild() : buildRef(run))
                .buildUrl(root == null ? null : root + run.getUrl())
                .prometheus(prometheus.getUrl())
                .prometheusAuth(auth);
        if (kubernetes) {
            KubernetesDeployment.applyTo(builder, run, (CanaryDeployStep) step, kubernetesManifests);
        } else {
            builder.targetKey(target.getName())
                    .credentialsId(target.getCredentialsId())
                    .haproxySockets(target.runtimeApiList())
                    .haproxyBackend(target.getBackend())
                    .stableServers(target.toBackend().stableServers())
                    .canaryServers(target.toBackend().canaryServers());
        }
        step.applyTo(builder);
        try {
            return builder.toSpec(stepName);
        } catch (InvalidSpecException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
