package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.FakeControllers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cluster for a CLI that runs in another process: rollback-kubernetes' {@link FakeApiServer}
 * (fabric8's mock server in CRUD mode, server-side apply emulated, a request log), the test-side
 * controller — a thread that calls {@link FakeControllers#settle()} every 100 ms, since the CLI
 * process cannot call it between its own steps — and a kubeconfig that points at the server with a
 * token the CLI must never print.
 */
final class FakeKubernetes implements AutoCloseable {

    static final String TOKEN = "e2e-t0ken-n3ver-pr1nted";
    static final String CONTEXT = "e2e";

    private final FakeApiServer api = new FakeApiServer();
    private final KubernetesClient controllerClient = api.controllerClient();
    private final KubernetesClient userClient = api.client();
    private final Map<String, FakeControllers> controllers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "test-side-controller");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger settleFailures = new AtomicInteger();
    private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();

    FakeKubernetes() {
        loop.scheduleWithFixedDelay(this::settleAll, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Creates the namespace (not counted as a write) and lets the controller settle its Deployments. */
    FakeControllers namespace(String name) {
        controllerClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                .build()).create();
        return controllers.computeIfAbsent(name, n -> new FakeControllers(controllerClient, n));
    }

    /**
     * A conflict with a write of the CLI (the status update carries the resourceVersion it read) is
     * expected now and then; the next tick settles again. Kept for messages, never thrown here.
     */
    private void settleAll() {
        for (FakeControllers namespace : controllers.values()) {
            try {
                namespace.settle();
            } catch (RuntimeException e) {
                settleFailures.incrementAndGet();
                lastFailure.set(e);
            }
        }
    }

    /** For assertion messages when a rollout waits in vain. */
    String controllerHealth() {
        RuntimeException last = lastFailure.get();
        return settleFailures.get() + " settle rounds failed" + (last == null ? "" : ", last: " + last);
    }

    /** Writes a kubeconfig for this server: context {@value #CONTEXT} (current), bearer token {@value #TOKEN}. */
    Path kubeconfig(Path dir) {
        try {
            return Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: fake
                      cluster: {server: "%s"}
                    users:
                    - name: ci
                      user: {token: "%s"}
                    contexts:
                    - name: %s
                      context: {cluster: fake, user: ci}
                    current-context: %s
                    """.formatted(api.url(), TOKEN, CONTEXT, CONTEXT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeApiServer api() {
        return api;
    }

    /** A client as another user (kubectl) would have, for drift; its writes are in the request log. */
    KubernetesClient client() {
        return userClient;
    }

    /** Mutating requests of anyone but the test-side controller into {@code namespace}. */
    List<FakeApiServer.Seen> writesIn(String namespace) {
        return api.writes().stream().filter(w -> w.path().contains("/namespaces/" + namespace + "/")).toList();
    }

    /** The requests' paths without their queries (field manager, force), in order. */
    static List<String> paths(List<FakeApiServer.Seen> requests) {
        return requests.stream().map(r -> r.path().split("\\?", 2)[0]).toList();
    }

    @Override
    public void close() {
        loop.shutdownNow();
        userClient.close();
        controllerClient.close();
        api.close();
    }
}
