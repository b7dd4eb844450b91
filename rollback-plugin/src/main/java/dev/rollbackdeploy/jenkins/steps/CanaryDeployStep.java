package dev.rollbackdeploy.jenkins.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code canaryDeploy target: 'shop-vms', prometheus: 'prod', steps: '10, 25, 50, 100'}: a canary (or
 * blue-green) rollout on a configured HAProxy target with its gates, recorded in the controller's
 * record store. Returns {@code [status:, reason:, build:, previous:]}; a rollback fails the build with
 * the gate's reason. Needs no node: it holds no executor while it waits.
 *
 * <p>With {@code cluster:} the target is a namespace of a configured Kubernetes cluster instead
 * ({@link KubernetesDeployment}); {@code target} is then the key that groups the records and names the lock,
 * and the manifests are read from the workspace, so that form runs inside {@code node}.
 */
public final class CanaryDeployStep extends GatedStep {

    private static final long serialVersionUID = 1L;

    private String cluster;
    private String namespace;
    private String manifests;
    private String stable;
    private String canary;
    private String traffic;
    private String route;
    private String service;

    @DataBoundConstructor
    public CanaryDeployStep(String target, String prometheus) {
        super(target, prometheus);
    }

    public String getCluster() { return cluster; }
    public String getNamespace() { return namespace; }
    public String getManifests() { return manifests; }
    public String getStable() { return stable; }
    public String getCanary() { return canary; }
    public String getTraffic() { return traffic; }
    public String getRoute() { return route; }
    public String getService() { return service; }

    /** A configured Kubernetes cluster's name: deploy there instead of to an HAProxy target. */
    @DataBoundSetter public void setCluster(String value) { cluster = Util.fixEmptyAndTrim(value); }
    /** Default: the configured cluster's namespace. */
    @DataBoundSetter public void setNamespace(String value) { namespace = Util.fixEmptyAndTrim(value); }
    /** This build's rendered manifests, workspace paths separated by commas or new lines. */
    @DataBoundSetter public void setManifests(String value) { manifests = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setStable(String value) { stable = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setCanary(String value) { canary = Util.fixEmptyAndTrim(value); }
    /** {@code httproute}, {@code replicas} or (blue-green) {@code service}. */
    @DataBoundSetter public void setTraffic(String value) { traffic = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setRoute(String value) { route = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setService(String value) { service = Util.fixEmptyAndTrim(value); }

    /** Whether this deploy goes to Kubernetes (a cluster is named). */
    boolean isKubernetes() {
        return cluster != null;
    }

    private String schemaVersion;

    public String getSchemaVersion() {
        return schemaVersion;
    }

    /**
     * The schema version this build runs with (e.g. {@code 3} or {@code 2.1.0}), recorded for the schema check
     * before later rollbacks; by default read from the target's schema datasource when one is configured.
     */
    @DataBoundSetter
    public void setSchemaVersion(String schemaVersion) {
        this.schemaVersion = hudson.Util.fixEmptyAndTrim(schemaVersion);
    }

    /** Stored inverted, so that an execution pickled before this field existed keeps the default (on). */
    private boolean skipKillSwitch;

    public boolean isKillSwitch() {
        return !skipKillSwitch;
    }

    /**
     * Whether an abort or a gate's rollback turns off the target's configured kill switch (Manage Jenkins → System →
     * Rollback Deploy → Kill switches) before, or instead of, moving traffic; default true.
     */
    @DataBoundSetter
    public void setKillSwitch(boolean killSwitch) {
        this.skipKillSwitch = !killSwitch;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new CanaryDeployExecution(context, this);
    }

    @Extension
    @Symbol("canaryDeploy")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "canaryDeploy";
        }

        @Override
        public String getDisplayName() {
            return Messages.CanaryDeployStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
