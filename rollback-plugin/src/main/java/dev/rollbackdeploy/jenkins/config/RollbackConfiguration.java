package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.operations.OperationException;
import hudson.Extension;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins → System → Rollback Deploy: the named Prometheus endpoints, HAProxy targets and
 * Kubernetes clusters that the Pipeline steps refer to by name, and per target key its schema datasource,
 * kill switch and point-in-time-recovery command. Saved in
 * {@code JENKINS_HOME/dev.rollbackdeploy.jenkins.config.RollbackConfiguration.xml}, credential ids only.
 */
@Extension
@Symbol("rollbackDeploy")
public final class RollbackConfiguration extends GlobalConfiguration {

    private List<PrometheusEndpoint> prometheusEndpoints = new ArrayList<>();
    private List<HAProxyTargetConfig> haproxyTargets = new ArrayList<>();
    private List<KubernetesClusterConfig> kubernetesClusters = new ArrayList<>();
    private List<SchemaDatasourceConfig> datasources = new ArrayList<>();
    private List<KillSwitchConfig> killSwitches = new ArrayList<>();
    private List<RecoveryCommandConfig> recoveryCommands = new ArrayList<>();

    public RollbackConfiguration() {
        load();
    }

    public static RollbackConfiguration get() {
        return GlobalConfiguration.all().getInstance(RollbackConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return Messages.RollbackConfiguration_DisplayName();
    }

    public List<PrometheusEndpoint> getPrometheusEndpoints() {
        return List.copyOf(prometheusEndpoints);
    }

    @DataBoundSetter
    public void setPrometheusEndpoints(List<PrometheusEndpoint> value) {
        prometheusEndpoints = new ArrayList<>(value == null ? List.of() : value);
        save();
    }

    public List<HAProxyTargetConfig> getHaproxyTargets() {
        return List.copyOf(haproxyTargets);
    }

    @DataBoundSetter
    public void setHaproxyTargets(List<HAProxyTargetConfig> value) {
        haproxyTargets = new ArrayList<>(value == null ? List.of() : value);
        save();
    }

    public List<KubernetesClusterConfig> getKubernetesClusters() {
        return List.copyOf(kubernetesClusters);
    }

    @DataBoundSetter
    public void setKubernetesClusters(List<KubernetesClusterConfig> value) {
        kubernetesClusters = new ArrayList<>(value == null ? List.of() : value);
        save();
    }

    public List<SchemaDatasourceConfig> getDatasources() {
        return datasources == null ? List.of() : List.copyOf(datasources); // null: a configuration saved before datasources
    }

    @DataBoundSetter
    public void setDatasources(List<SchemaDatasourceConfig> value) {
        datasources = new ArrayList<>(value == null ? List.of() : value);
        save();
    }

    public List<KillSwitchConfig> getKillSwitches() {
        return killSwitches == null ? List.of() : List.copyOf(killSwitches); // null: saved before kill switches
    }

    @DataBoundSetter
    public void setKillSwitches(List<KillSwitchConfig> value) {
        killSwitches = new ArrayList<>(value == null ? List.of() : value);
        save();
    }

    public List<RecoveryCommandConfig> getRecoveryCommands() {
        return recoveryCommands == null ? List.of() : List.copyOf(recoveryCommands);
    }

    @DataBoundSetter
    public void setRecoveryCommands(List<RecoveryCommandConfig> value) {
        recoveryCommands = new ArrayList<>(value == null ? List.of() : value);
        save();
    }

    /** The flags this target's releases sit behind, turned off by an abort, a gate's rollback and every restore. */
    public Optional<KillSwitchConfig> killSwitch(String target) {
        return getKillSwitches().stream().filter(k -> k.getTarget().equals(target)).findFirst();
    }

    /** This target's point-in-time-recovery command, run by a restore only on a person's confirmation. */
    public Optional<RecoveryCommandConfig> recoveryCommand(String target) {
        return getRecoveryCommands().stream().filter(r -> r.getTarget().equals(target)).findFirst();
    }

    /** The database of this target, for the schema check and the version deploys record. */
    public Optional<SchemaDatasourceConfig> datasource(String target) {
        return getDatasources().stream().filter(d -> d.getTarget().equals(target)).findFirst();
    }

    public Optional<PrometheusEndpoint> prometheus(String name) {
        return prometheusEndpoints.stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    public Optional<HAProxyTargetConfig> haproxyTarget(String name) {
        return haproxyTargets.stream().filter(t -> t.getName().equals(name)).findFirst();
    }

    public Optional<KubernetesClusterConfig> kubernetesCluster(String name) {
        return kubernetesClusters.stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws Descriptor.FormException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        // an empty list is absent from the form's JSON: clear first, then bind what was sent
        prometheusEndpoints = new ArrayList<>();
        haproxyTargets = new ArrayList<>();
        kubernetesClusters = new ArrayList<>();
        datasources = new ArrayList<>();
        killSwitches = new ArrayList<>();
        recoveryCommands = new ArrayList<>();
        req.bindJSON(this, json);
        requireValidUniqueNames(prometheusEndpoints, PrometheusEndpoint::getName, "prometheusEndpoints");
        requireValidUniqueNames(haproxyTargets, HAProxyTargetConfig::getName, "haproxyTargets");
        requireValidUniqueNames(kubernetesClusters, KubernetesClusterConfig::getName, "kubernetesClusters");
        requireValidUniqueNames(datasources, SchemaDatasourceConfig::getTarget, "datasources");
        requireValidUniqueNames(killSwitches, KillSwitchConfig::getTarget, "killSwitches");
        requireValidUniqueNames(recoveryCommands, RecoveryCommandConfig::getTarget, "recoveryCommands");
        for (KillSwitchConfig k : killSwitches) {
            requireValid(() -> k.spec(), "killSwitches");
        }
        for (RecoveryCommandConfig r : recoveryCommands) {
            requireValid(() -> r.toCommand(), "recoveryCommands");
        }
        save();
        return true;
    }

    /** A check that throws the front door's INVALID, as a form error naming the section. */
    private interface Check {
        Object run() throws OperationException;
    }

    private static void requireValid(Check check, String field) throws Descriptor.FormException {
        try {
            check.run();
        } catch (OperationException e) {
            throw new Descriptor.FormException(e.getMessage(), field);
        }
    }

    private static <T> void requireValidUniqueNames(List<T> items, Function<T, String> name, String field)
            throws Descriptor.FormException {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            String value = name.apply(item);
            FormValidation check = Fields.checkName(value);
            if (check.kind == FormValidation.Kind.ERROR) {
                throw new Descriptor.FormException(check.getMessage(), field);
            }
            if (!seen.add(value)) {
                throw new Descriptor.FormException(Messages.RollbackConfiguration_DuplicateName(value), field);
            }
        }
    }
}
