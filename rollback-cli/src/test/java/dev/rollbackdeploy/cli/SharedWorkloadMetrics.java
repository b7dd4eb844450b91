package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalPrometheus;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One per-workload request counter ({@link WorkloadCounters}) and one real Prometheus scraping it, for
 * every Kubernetes IT of this JVM that takes a {@link Metrics} parameter (in {@code @BeforeAll}): a
 * Prometheus start and its two first scrapes cost ~6 s on the CI machine, once per class before. The
 * counters are per namespace and workload and each class deploys into namespaces of its own, so the
 * classes never read each other's counts. Both are closed (root store) after the last test.
 */
final class SharedWorkloadMetrics implements ParameterResolver {

    /** The counters the test serves and the Prometheus that scrapes them every second. */
    record Metrics(WorkloadCounters counters, LocalPrometheus prometheus) implements AutoCloseable {
        @Override
        public void close() {
            try {
                prometheus.close();
            } finally {
                counters.close();
            }
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedWorkloadMetrics.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Metrics.class;
    }

    @Override
    public Metrics resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Metrics.class, key -> start(), Metrics.class);
    }

    private static Metrics start() {
        WorkloadCounters counters = null;
        try {
            counters = new WorkloadCounters();
            LocalPrometheus prometheus = LocalPrometheus.scraping(counters.port());
            try {
                prometheus.awaitTwoScrapes(1, Duration.ofSeconds(60));
            } catch (Exception e) {
                prometheus.close();
                throw e;
            }
            return new Metrics(counters, prometheus);
        } catch (Exception e) {
            if (counters != null) {
                counters.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start the workload counters and Prometheus: " + e.getMessage(), e);
        }
    }
}
