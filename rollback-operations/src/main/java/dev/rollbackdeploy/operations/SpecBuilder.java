package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import dev.rollbackdeploy.kubernetes.KubernetesGate;
import dev.rollbackdeploy.prometheus.PrometheusAuth;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.Weight;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects a deployment spec's fields as given — text, numbers, lists, as a Jenkins step's fields or a
 * YAML file hold them — and validates them all at once in {@link #toSpec(String)}. Nothing is checked
 * or defaulted silently before then: a value that is not what the field needs is a {@link SpecProblem}
 * (never replaced by the default), and every problem is reported together.
 */
public final class SpecBuilder {

    private Object build;
    private Object buildUrl;
    private Object targetKey;
    private Object credentialsId;
    private Object sockets;
    private Object backend;
    private Object stable;
    private Object canary;
    private Object prometheus;
    private Object strategy;
    private Object steps;
    private Object scaleDownDelay;
    private Object healthyErrorRate;
    private Object minimumEffect;
    private Object interval;
    private Object maxDuration;
    private Object maxErrorRate;
    private Object minRequests;
    private Object metric;
    private Object workloadLabel;
    private PrometheusAuth prometheusAuth;
    private final KubernetesSpecFields kubernetes = new KubernetesSpecFields();

    SpecBuilder() {
    }

    /** The build being deployed, {@code job#number} (e.g. {@code shop#42} or {@code team/shop#42}). */
    public SpecBuilder build(Object value) { build = value; return this; }
    public SpecBuilder buildUrl(Object value) { buildUrl = value; return this; }
    /** The key that groups the target's records and names its lock, e.g. {@code shop-vms}. */
    public SpecBuilder targetKey(Object value) { targetKey = value; return this; }
    /** The id of the credentials for the load balancers (never the secret); default {@code local-sockets}. */
    public SpecBuilder credentialsId(Object value) { credentialsId = value; return this; }
    /** One runtime API socket per load balancer: a path or host:port. */
    public SpecBuilder haproxySockets(Object value) { sockets = value; return this; }
    public SpecBuilder haproxyBackend(Object value) { backend = value; return this; }
    public SpecBuilder stableServers(Object value) { stable = value; return this; }
    public SpecBuilder canaryServers(Object value) { canary = value; return this; }
    /** Prometheus' base URL, scraping HAProxy's exporter. */
    public SpecBuilder prometheus(Object value) { prometheus = value; return this; }
    /** {@code canary} (default) or {@code blueGreen}. */
    public SpecBuilder strategy(Object value) { strategy = value; return this; }
    /** Canary: the canary's share in percent after each step, never decreasing, e.g. [10, 25, 50, 100]. */
    public SpecBuilder steps(Object value) { steps = value; return this; }
    /** Blue-green: how long the previous version stays warm, e.g. {@code 30s} (default). */
    public SpecBuilder scaleDownDelay(Object value) { scaleDownDelay = value; return this; }
    public SpecBuilder healthyErrorRate(Object value) { healthyErrorRate = value; return this; }
    public SpecBuilder minimumEffect(Object value) { minimumEffect = value; return this; }
    public SpecBuilder interval(Object value) { interval = value; return this; }
    public SpecBuilder maxDuration(Object value) { maxDuration = value; return this; }
    public SpecBuilder maxErrorRate(Object value) { maxErrorRate = value; return this; }
    public SpecBuilder minRequests(Object value) { minRequests = value; return this; }
    /** Kubernetes targets: the request counter the gate reads per workload; default {@code http_requests_total}. */
    public SpecBuilder gateMetric(Object value) { metric = value; return this; }
    /** Kubernetes targets: the counter's label naming the workload; default {@code deployment}. */
    public SpecBuilder gateWorkloadLabel(Object value) { workloadLabel = value; return this; }

    // target.kubernetes: any of these makes the target Kubernetes (docs/examples/kubernetes.yaml)
    /** The kubeconfig's path (relative paths from {@link #baseDirectory}); never read into a message. */
    public SpecBuilder kubeconfig(Object value) { kubernetes.kubeconfig = value; return this; }
    /** The kubeconfig context; default the file's current-context. */
    public SpecBuilder kubeContext(Object value) { kubernetes.context = value; return this; }
    /** {@code true}: the pod's service account instead of a kubeconfig (never a silent fallback). */
    public SpecBuilder inCluster(Object value) { kubernetes.inCluster = value; return this; }
    /**
     * How to reach the cluster when the caller has it already (a Jenkins secret-file credential's
     * content); replaces kubeconfig, context and inCluster.
     */
    public SpecBuilder kubernetesConnection(KubernetesConnection value) { kubernetes.connection = value; return this; }
    /**
     * The cluster's name in the record when the caller names clusters itself (a Jenkins-configured cluster, so
     * restores find it again); default the kubeconfig context's cluster name.
     */
    public SpecBuilder kubernetesClusterName(String value) { kubernetes.clusterName = value; return this; }
    public SpecBuilder namespace(Object value) { kubernetes.namespace = value; return this; }
    /** This build's rendered manifest files (YAML or JSON). */
    public SpecBuilder manifests(Object value) { kubernetes.manifests = value; return this; }
    /** A YAML map image -> digest for images the manifests do not pin. */
    public SpecBuilder digests(Object value) { kubernetes.digests = value; return this; }
    /** The Deployment live now. */
    public SpecBuilder stableWorkload(Object value) { kubernetes.stable = value; return this; }
    /** The canary Deployment, or blue-green's new colour. */
    public SpecBuilder canaryWorkload(Object value) { kubernetes.canary = value; return this; }
    /** {@code httproute}, {@code replicas} or {@code service} (blue-green). */
    public SpecBuilder traffic(Object value) { kubernetes.traffic = value; return this; }
    /** The HTTPRoute (traffic httproute). */
    public SpecBuilder route(Object value) { kubernetes.route = value; return this; }
    /** The active Service (blue-green). */
    public SpecBuilder service(Object value) { kubernetes.service = value; return this; }
    /** Where relative file names (kubeconfig, manifests, digests) start: the spec file's directory, a workspace. */
    public SpecBuilder baseDirectory(Path value) { kubernetes.baseDirectory = value; return this; }

    /** How Prometheus queries authenticate (a Jenkins step's bearer-token credential); default none. */
    public SpecBuilder prometheusAuth(PrometheusAuth value) { prometheusAuth = value; return this; }

    /**
     * @param source how to name the spec in the error, e.g. {@code deployment spec deploy.yaml} or
     *               {@code canaryDeploy}
     * @throws InvalidSpecException every problem found, each naming the field, the value and what would be right
     */
    public DeploymentSpec toSpec(String source) throws InvalidSpecException {
        SpecValues in = new SpecValues();
        BuildRef ref = in.convert("build", build, "must be a build written job#number, e.g. shop#42", BuildRef::parse);
        URI url = in.url("buildUrl", buildUrl, "https://ci.example.com/job/shop/42/");
        String key = in.text("target.key", targetKey, "must name the target, e.g. shop-vms");
        DeploymentSpec.Strategy kind = strategy(in);
        boolean onKubernetes = kubernetes.given();
        boolean onVms = sockets != null || backend != null || stable != null || canary != null;
        DeploymentSpec.TargetSpec target;
        if (onKubernetes && onVms) {
            in.problem("target", null, "has both haproxy and kubernetes fields; a target is either HAProxy VMs or"
                    + " Kubernetes: give target.haproxy or target.kubernetes");
            target = null;
        } else {
            target = onKubernetes ? kubernetes.toTarget(in, key, credentialsId, kind) : haproxyTarget(in, key);
        }
        URI prom = in.url("prometheus", prometheus, "http://127.0.0.1:9090/");
        List<Weight> weights = kind == DeploymentSpec.Strategy.CANARY ? steps(in) : List.of();
        if (kind == DeploymentSpec.Strategy.BLUE_GREEN && steps != null) {
            in.problem("steps", null, "belongs to a canary; blueGreen switches all traffic at once");
        }
        if (kind == DeploymentSpec.Strategy.CANARY && scaleDownDelay != null && !onKubernetes) {
            in.problem("scaleDownDelay", null, "belongs to blueGreen; a canary has no previous version to keep warm");
        }
        String metricName = gateName(in, "gate.metric", metric, KubernetesGate.DEFAULT_METRIC, KubernetesGate.METRIC_NAME,
                onKubernetes);
        String label = gateName(in, "gate.workloadLabel", workloadLabel, KubernetesGate.DEFAULT_WORKLOAD_LABEL,
                KubernetesGate.LABEL_NAME, onKubernetes);
        Duration warm = in.duration("scaleDownDelay", scaleDownDelay, Duration.ofSeconds(30));
        double healthy = in.fraction("gate.healthyErrorRate", healthyErrorRate, 0.01, "the 5xx rate when healthy, e.g. 0.01");
        double effect = in.number("gate.minimumEffect", minimumEffect, 10,
                "must be a ratio above 1: catch a canary with this many times stable's errors, e.g. 10");
        if (!Double.isNaN(effect) && !(effect > 1)) {
            in.problem("gate.minimumEffect", String.valueOf(minimumEffect),
                    "must be a ratio above 1: catch a canary with this many times stable's errors, e.g. 10");
        } else if (!Double.isNaN(effect) && !Double.isNaN(healthy) && !(healthy * effect < 1)) {
            in.problem("gate.minimumEffect", String.valueOf(minimumEffect), "times gate.healthyErrorRate (" + healthy
                    + ") must stay below 1 (an error rate of 100% or more cannot be caught)");
        }
        Duration look = in.duration("gate.interval", interval, Duration.ofSeconds(10));
        Duration max = in.duration("gate.maxDuration", maxDuration, Duration.ofMinutes(10));
        if (look != null && look.compareTo(Duration.ofSeconds(1)) < 0) {
            in.problem("gate.interval", String.valueOf(interval), "must be at least 1s (Prometheus scrapes no faster)");
        } else if (look != null && max != null && max.compareTo(look) < 0) {
            in.problem("gate.maxDuration", String.valueOf(maxDuration), "must be at least gate.interval (" + interval + ")");
        }
        double maxRate = in.fraction("gate.maxErrorRate", maxErrorRate, 0.05,
                "the new version's highest allowed 5xx ratio, e.g. 0.05");
        long requests = in.whole("gate.minRequests", minRequests, 100, "must be a whole number of requests, 1 or more, e.g. 100");
        in.throwIfAny(source);
        return new DeploymentSpec(ref, url, target, prom, kind, weights, warm,
                new DeploymentSpec.GateSettings(healthy, effect, look, max, maxRate, requests, metricName, label), prometheusAuth);
    }

    private DeploymentSpec.HAProxyTarget haproxyTarget(SpecValues in, String key) {
        String credentials = credentialsId == null ? "local-sockets"
                : in.text("target.credentialsId", credentialsId, "must be a credentials id (never a secret)");
        List<String> socketList = in.texts("target.haproxy.sockets", sockets,
                "must list one runtime API socket per load balancer, e.g. [/run/haproxy/admin.sock]");
        String backendName = in.text("target.haproxy.backend", backend, "must name the HAProxy backend, e.g. app");
        List<String> stableList = in.texts("target.haproxy.stable", stable, "must list the stable servers, e.g. [stable1, stable2]");
        List<String> canaryList = in.texts("target.haproxy.canary", canary, "must list the canary servers, e.g. [canary1]");
        HAProxyBackend haproxy = backendName == null || stableList == null || canaryList == null ? null
                : in.convert("target.haproxy", "backend " + backendName, "must be a valid backend",
                        v -> new HAProxyBackend(backendName, stableList, canaryList));
        return socketList == null || haproxy == null ? null
                : new DeploymentSpec.HAProxyTarget(key, credentials, socketList, haproxy);
    }

    /** A Prometheus identifier for the Kubernetes gate's counter; the default when absent. */
    private static String gateName(SpecValues in, String field, Object raw, String fallback, Pattern grammar,
            boolean onKubernetes) {
        if (raw == null) {
            return fallback;
        }
        if (!onKubernetes) {
            in.problem(field, String.valueOf(raw), "belongs to a Kubernetes target (HAProxy's exporter names its own counter)");
            return fallback;
        }
        if (!(raw instanceof String text) || !grammar.matcher(text).matches()) {
            in.problem(field, String.valueOf(raw), "must be a Prometheus identifier like " + fallback);
            return fallback;
        }
        return text;
    }

    private DeploymentSpec.Strategy strategy(SpecValues in) {
        if (strategy == null) {
            return DeploymentSpec.Strategy.CANARY;
        }
        return switch (String.valueOf(strategy)) {
            case "canary" -> DeploymentSpec.Strategy.CANARY;
            case "blueGreen" -> DeploymentSpec.Strategy.BLUE_GREEN;
            default -> {
                in.problem("strategy", String.valueOf(strategy), "must be canary or blueGreen");
                yield DeploymentSpec.Strategy.CANARY;
            }
        };
    }

    private List<Weight> steps(SpecValues in) {
        String example = "must list the canary's share in percent after each step, never decreasing, e.g. [10, 25, 50, 100]";
        if (!(steps instanceof List<?> list) || list.isEmpty()) {
            in.problem("steps", steps == null ? null : String.valueOf(steps), steps == null ? "is missing; " + example : example);
            return List.of();
        }
        List<Weight> weights = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Long whole = SpecValues.wholeNumber(list.get(i));
            if (whole == null) {
                in.problem("steps[" + i + "]", String.valueOf(list.get(i)), "must be a whole percentage 0..100");
                continue;
            }
            try {
                weights.add(Weight.of((int) Math.max(-1, Math.min(1000, whole))));
            } catch (IllegalArgumentException e) {
                in.problem("steps[" + i + "]", null, "must be a canary share in percent: weight must be 0..100, got " + whole);
            }
        }
        for (int i = 1; i < weights.size(); i++) {
            if (weights.get(i).percent() < weights.get(i - 1).percent()) {
                in.problem("steps", String.valueOf(list), "must never decrease", "a canary only grows; a drop is a rollback,"
                        + " which the gate does on its own; e.g. [10, 25, 50, 100]");
                break;
            }
        }
        return weights;
    }
}
