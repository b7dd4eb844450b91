package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.kubernetes.KubernetesGate;
import dev.rollbackdeploy.prometheus.PrometheusAuth;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.traffic.Weight;
import dev.rollbackdeploy.vm.HAProxyGate;
import dev.rollbackdeploy.vm.VmRecords;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated deployment to HAProxy-fronted VMs or to Kubernetes: build it with {@link #builder()} from plain values (a
 * Jenkins step's fields) or read it with {@link SpecFile} (the CLI's {@code --spec}); both validate the
 * whole spec at once and throw {@link InvalidSpecException} listing every problem, before anything is
 * locked or written. docs/examples/deploy.yaml, blue-green.yaml and kubernetes.yaml show every field.
 *
 * @param steps          canary: the canary's share after each step (empty for blue-green)
 * @param scaleDownDelay blue-green: how long the previous version stays warm after the switch
 */
public record DeploymentSpec(BuildRef build, URI buildUrl, TargetSpec target, URI prometheus, Strategy strategy,
        List<Weight> steps, Duration scaleDownDelay, GateSettings gate, PrometheusAuth prometheusAuth) {

    /** canary: shift traffic step by step; blueGreen: switch all at once, keep the old version warm. */
    public enum Strategy { CANARY, BLUE_GREEN }

    /** Where the deployment goes: HAProxy VMs or Kubernetes, never both. */
    public sealed interface TargetSpec permits HAProxyTarget, KubernetesTarget {
        /** Groups the target's records and names its lock. */
        String key();
    }

    /**
     * HAProxy-fronted VMs: the load balancers' runtime API sockets (paths or host:port), the backend
     * with its stable and canary servers, and the id of the credentials (never a secret).
     */
    public record HAProxyTarget(String key, String credentialsId, List<String> sockets, HAProxyBackend backend)
            implements TargetSpec {
        public HAProxyTarget {
            sockets = List.copyOf(sockets);
        }
    }

    /** The HAProxy target; for code that only runs on VMs. */
    public HAProxyTarget haproxy() {
        if (target instanceof HAProxyTarget vms) {
            return vms;
        }
        throw new IllegalStateException("target " + target.key() + " is Kubernetes, not HAProxy VMs");
    }

    /** The Kubernetes target; for code that only runs on Kubernetes. */
    public KubernetesTarget kubernetes() {
        if (target instanceof KubernetesTarget k8s) {
            return k8s;
        }
        throw new IllegalStateException("target " + target.key() + " is HAProxy VMs, not Kubernetes");
    }

    public boolean isKubernetes() {
        return target instanceof KubernetesTarget;
    }

    /**
     * The gates' settings. Canary: the canary-vs-stable 5xx ratio ({@code healthyErrorRate},
     * {@code minimumEffect}) looked at every {@code interval}, at most {@code maxDuration} per step.
     * Blue-green: the new version's own 5xx ratio at most {@code maxErrorRate}, judged after {@code minRequests}.
     * Kubernetes: the request counter's name and the label naming the workload ({@link KubernetesGate}).
     */
    public record GateSettings(double healthyErrorRate, double minimumEffect, Duration interval, Duration maxDuration,
            double maxErrorRate, long minRequests, String metric, String workloadLabel) {

        public GateSettings(double healthyErrorRate, double minimumEffect, Duration interval, Duration maxDuration,
                double maxErrorRate, long minRequests) {
            this(healthyErrorRate, minimumEffect, interval, maxDuration, maxErrorRate, minRequests,
                    KubernetesGate.DEFAULT_METRIC, KubernetesGate.DEFAULT_WORKLOAD_LABEL);
        }
    }

    /** How long a workload may take to become ready (the Deployment controller's own default is 10 min). */
    static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(5);

    public DeploymentSpec {
        steps = List.copyOf(steps);
        // the Jenkins steps hand in a bearer token from a credential; its toString() never shows it
        prometheusAuth = prometheusAuth == null ? PrometheusAuth.none() : prometheusAuth;
    }

    public static SpecBuilder builder() {
        return new SpecBuilder();
    }

    /** The canary-vs-stable 5xx gate after each canary shift. */
    public GateSpec stepGate() {
        if (target instanceof KubernetesTarget k8s) {
            return KubernetesGate.errorRatio(counter(k8s), k8s.stable().name(), k8s.canary().name(), gate.healthyErrorRate(),
                    gate.minimumEffect(), gate.interval(), gate.maxDuration());
        }
        return HAProxyGate.errorRatio(haproxy().backend(), gate.healthyErrorRate(), gate.minimumEffect(), gate.interval(),
                gate.maxDuration());
    }

    /** Blue-green's gate in the warm window: the new version's own 5xx ratio since the switch. */
    public GateSpec afterSwitchGate() {
        if (target instanceof KubernetesTarget k8s) {
            return KubernetesGate.afterSwitch(counter(k8s), k8s.canary().name(), gate.maxErrorRate(), gate.minRequests(),
                    gate.interval(), scaleDownDelay);
        }
        return HAProxyGate.afterSwitch(haproxy().backend(), gate.maxErrorRate(), gate.minRequests(), gate.interval(),
                scaleDownDelay);
    }

    /** The gate this spec's strategy runs: the step gate for a canary, the after-switch gate for blue-green. */
    public GateSpec ownGate() {
        return strategy == Strategy.BLUE_GREEN ? afterSwitchGate() : stepGate();
    }

    public RolloutSpec rollout() {
        if (isKubernetes()) {
            return strategy == Strategy.BLUE_GREEN ? KubernetesGate.blueGreen(scaleDownDelay, PROGRESS_DEADLINE)
                    : KubernetesGate.canary(steps, gate.maxDuration(), scaleDownDelay, PROGRESS_DEADLINE);
        }
        return strategy == Strategy.BLUE_GREEN ? HAProxyGate.blueGreen(scaleDownDelay)
                : HAProxyGate.canary(steps, gate.maxDuration());
    }

    /** How records name the strategy. */
    public StrategySpec strategySpec() {
        return strategy == Strategy.BLUE_GREEN
                ? new StrategySpec(StrategyKind.BLUE_GREEN, Map.of("scaleDownDelay", scaleDownDelay.toString()))
                : new StrategySpec(StrategyKind.CANARY, Map.of("steps", steps.toString()));
    }

    /** The HAProxy target as records name it. */
    public Target.HAProxy recordTarget() {
        HAProxyTarget vms = haproxy();
        return new Target.HAProxy(vms.key(), vms.sockets().stream().map(VmRecords::endpoint).toList(),
                vms.backend().name(), vms.credentialsId());
    }

    private KubernetesGate.Counter counter(KubernetesTarget k8s) {
        return new KubernetesGate.Counter(gate.metric(), gate.workloadLabel(), k8s.namespace());
    }

    /** The spec's Prometheus with a 5 s query timeout; the caller closes it. */
    public PrometheusMetricSource metrics() {
        return new PrometheusMetricSource(PrometheusConfig.of(prometheus.toString()).withQueryTimeout(Duration.ofSeconds(5))
                .withAuth(prometheusAuth));
    }

    /** One line for logs: what will happen. */
    public String describe() {
        if (target instanceof KubernetesTarget k8s) {
            return (strategy == Strategy.BLUE_GREEN ? "blue-green: switch Service " + k8s.service() + " to " + k8s.canary().name()
                    + ", keep " + k8s.stable().name() + " warm for " + scaleDownDelay.toSeconds() + " s"
                    : "canary: steps " + steps + " through " + k8s.traffic().word()) + " in namespace " + k8s.namespace()
                    + " through " + k8s.connection();
        }
        HAProxyBackend backend = haproxy().backend();
        return strategy == Strategy.BLUE_GREEN
                ? "blue-green: switch to " + backend.canaryServers() + ", keep " + backend.stableServers() + " warm for "
                        + scaleDownDelay.toSeconds() + " s"
                : "canary: steps " + steps;
    }
}
