package dev.rollbackdeploy.bench;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.FakeControllers;
import dev.rollbackdeploy.kubernetes.HttpRouteTrafficRouter;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.KubernetesRollout;
import dev.rollbackdeploy.kubernetes.MutableClock;
import dev.rollbackdeploy.kubernetes.ReplicaRatioTrafficRouter;
import dev.rollbackdeploy.kubernetes.Retrying;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutStep;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes API writes per canary step, per promotion and per abort (docs/benchmarks.md), counted
 * from the fake API server's request log while {@link KubernetesRollout} — the adapter the deploy
 * drives — runs a canary of 10% → 50% → 100% with a gate after every shift but the last (as a deploy's
 * spec builds it, {@code KubernetesGate.canary}), through an HTTPRoute and
 * through a replica ratio; once to a promotion (finished: stable on the new template, traffic back on
 * stable, canary at 0) and once aborted by the second gate. Simulated time, the fake controllers
 * settle Deployments whenever the rollout waits. Run with
 * {@code java -cp rollback-benchmarks/target/benchmarks.jar dev.rollbackdeploy.bench.KubernetesWriteCounts}.
 */
public final class KubernetesWriteCounts {

    private static final String NAMESPACE = "shop";
    private static final ObjectKey STABLE = new ObjectKey("apps", "Deployment", NAMESPACE, "web");
    private static final ObjectKey CANARY = new ObjectKey("apps", "Deployment", NAMESPACE, "web-canary");
    private static final String OLD = "registry.example/web@sha256:" + "0a".repeat(32);
    private static final String NEW = "registry.example/web@sha256:" + "1b".repeat(32);
    private static final int REPLICAS = 4;
    private static final int[] SHARES = {10, 50, 100};

    private KubernetesWriteCounts() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Kubernetes API writes, counted from the fake API server's request log (fabric8 mock, CRUD"
                + " mode, server-side apply emulated); canary 10% -> 50% -> 100%, a gate after 10% and 50%, "
                + REPLICAS + " replicas");
        for (String router : List.of("httproute", "replicas")) {
            run(router, false);
            run(router, true);
        }
    }

    /** One rollout from a fresh server; prints its writes phase by phase. */
    private static void run(String traffic, boolean abortAtSecondGate) throws Exception {
        try (FakeApiServer server = new FakeApiServer(); KubernetesClient client = server.client();
                KubernetesClient controllerClient = server.controllerClient()) {
            FakeControllers controllers = new FakeControllers(controllerClient, NAMESPACE);
            KubernetesCluster cluster = new KubernetesCluster(client, NAMESPACE, BuildRef.parse("shop#43"));
            for (CanonicalObject object : release(OLD, traffic).objects()) {
                cluster.apply(object); // what the previous build left live
            }
            cluster.apply(deployment("web-canary", NEW, 0)); // this build's canary, prepared at 0
            controllers.settle();
            server.clearLog();

            MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
            List<Integer> looks = new ArrayList<>();
            KubernetesRollout.Gate gate = name -> {
                looks.add(server.writes().size());
                boolean abort = abortAtSecondGate && looks.size() == 2;
                return new KubernetesRollout.Answer(abort ? GateDecision.Outcome.ROLLBACK : GateDecision.Outcome.PROMOTE,
                        "scripted");
            };
            Retrying retrying = new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { });
            TrafficRouter router = traffic.equals("httproute")
                    ? new HttpRouteTrafficRouter(client, NAMESPACE, "web", "web", "web-canary", retrying)
                    : new ReplicaRatioTrafficRouter(client, NAMESPACE, "web", "web-canary", REPLICAS, retrying);
            KubernetesRollout.Result result = KubernetesRollout.canary(cluster,
                    new KubernetesRollout.Workloads(STABLE, REPLICAS, CANARY, REPLICAS), router, gate, clock, d -> {
                        clock.advance(d);
                        controllers.settle();
                    }, line -> { }).finishingPromotionOf(release(NEW, traffic)).drive(spec());

            List<String> writes = server.writes().stream().map(KubernetesWriteCounts::describe).toList();
            System.out.printf("%n%s, %s (phase %s):%n", traffic.equals("httproute") ? "HTTPRoute" : "replica ratio",
                    abortAtSecondGate ? "aborted by the gate at 50%" : "promoted", result.state().phase());
            int from = 0;
            for (int i = 0; i < looks.size(); i++) {
                print("step to " + SHARES[i] + "%", writes.subList(from, looks.get(i)));
                from = looks.get(i);
            }
            if (!abortAtSecondGate) {
                // No gate after the last shift (as KubernetesGate.canary builds it): the finish starts with stable's apply.
                int finish = writes.subList(from, writes.size()).indexOf("PATCH(apply) deployments/web") + from;
                print("step to " + SHARES[SHARES.length - 1] + "%", writes.subList(from, finish));
                from = finish;
            }
            print(abortAtSecondGate ? "abort" : "promotion finish", writes.subList(from, writes.size()));
            System.out.printf("  total: %d writes, %d requests%n", writes.size(), server.requests().stream()
                    .filter(r -> !"fake-controller".equals(r.userAgent())).count());
        }
    }

    private static void print(String phase, List<String> writes) {
        System.out.printf("  %-18s %d write%s%n", phase + ":", writes.size(), writes.size() == 1 ? "" : "s");
        writes.forEach(w -> System.out.println("      " + w));
    }

    /** "PATCH(apply) deployments/web": the request, its patch kind, and the object. */
    private static String describe(FakeApiServer.Seen write) {
        String type = write.contentType() == null ? "" : write.contentType();
        String kind = type.startsWith("application/apply-patch") ? "(apply)" : type.startsWith("application/merge-patch")
                ? "(merge)" : type.startsWith("application/json-patch") ? "(json-patch)" : "";
        return write.method() + kind + " " + write.path().replaceAll("\\?.*", "").replaceAll(".*/namespaces/" + NAMESPACE + "/", "");
    }

    private static RolloutSpec spec() {
        List<RolloutStep> steps = new ArrayList<>();
        for (int i = 0; i < SHARES.length; i++) {
            steps.add(new RolloutStep.SetWeight(Weight.of(SHARES[i])));
            if (i < SHARES.length - 1) {
                steps.add(new RolloutStep.Gate("errors", Duration.ofMinutes(5)));
            }
        }
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, steps, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    /** A build's release: stable on {@code image}, the canary at 0, and the router's objects at rest. */
    private static ManifestSet release(String image, String traffic) {
        List<CanonicalObject> objects = new ArrayList<>(List.of(deployment("web", image, REPLICAS),
                deployment("web-canary", NEW, 0)));
        objects.addAll(read(service("web", "web")).objects());
        if (traffic.equals("httproute")) {
            objects.addAll(read(service("web-canary", "web-canary")).objects());
            objects.addAll(read("""
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: web, namespace: shop}
                    spec:
                      parentRefs: [{name: gateway}]
                      rules: [{backendRefs: [{name: web, port: 80}]}]
                    """).objects());
        }
        return ManifestSet.of(objects);
    }

    private static CanonicalObject deployment(String name, String image, int replicas) {
        return read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: shop, labels: {app: %1$s}}
                spec:
                  replicas: %3$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec: {containers: [{name: web, image: "%2$s", ports: [{containerPort: 8080}]}]}
                """.formatted(name, image, replicas)).objects().get(0);
    }

    private static String service(String name, String app) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: shop}
                spec: {selector: {app: %s}, ports: [{port: 80, targetPort: 8080}]}
                """.formatted(name, app);
    }

    private static ManifestSet read(String yaml) {
        return new ManifestReader().read(yaml);
    }
}
