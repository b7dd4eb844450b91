package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApi;
import dev.rollbackdeploy.operations.FlagSwitch;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import hudson.util.FormValidation;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * "Test connection" for each kind of target, through the same adapters the steps use. Each answer says
 * what was reached or what failed; adapter messages are already free of secrets (they mask tokens and
 * user info), and nothing here adds one.
 */
final class ConnectionTests {

    private ConnectionTests() {
    }

    static FormValidation prometheus(PrometheusConfig config) throws InterruptedException {
        try (PrometheusMetricSource source = new PrometheusMetricSource(config)) {
            Measurement answer = source.instant("vector(1)", Instant.now());
            if (answer instanceof Measurement.Value) {
                return FormValidation.ok(Messages.ConnectionTests_PrometheusOk(config.baseUrl()));
            }
            if (answer instanceof Measurement.Failed failed) {
                return FormValidation.error(Messages.ConnectionTests_PrometheusFailed(config.baseUrl(), failed.reason()));
            }
            if (answer instanceof Measurement.NoData noData) {
                return FormValidation.warning(Messages.ConnectionTests_PrometheusFailed(config.baseUrl(), noData.reason()));
            }
            return FormValidation.error(Messages.ConnectionTests_PrometheusFailed(config.baseUrl(), String.valueOf(answer)));
        }
    }

    static FormValidation haproxy(HAProxyBackend backend, List<RuntimeApi> balancers) throws InterruptedException {
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(backend, balancers);
        try {
            router.validate();
            return FormValidation.ok(Messages.ConnectionTests_HAProxyOk(balancers.size(), backend.name(),
                    router.canaryWeight()));
        } catch (IOException | IllegalStateException e) {
            return FormValidation.error(Messages.ConnectionTests_HAProxyFailed(backend.name(), e.getMessage()));
        }
    }

    static FormValidation kubernetes(KubernetesClient client, String namespace) {
        try (client) {
            String version = client.getKubernetesVersion().getGitVersion();
            if (namespace == null) {
                return FormValidation.ok(Messages.ConnectionTests_KubernetesOk(client.getMasterUrl(), version, "-"));
            }
            Namespace found = client.namespaces().withName(namespace).get();
            if (found == null) {
                return FormValidation.warning(Messages.ConnectionTests_KubernetesNoNamespace(client.getMasterUrl(), version,
                        namespace));
            }
            return FormValidation.ok(Messages.ConnectionTests_KubernetesOk(client.getMasterUrl(), version, namespace));
        } catch (RuntimeException e) {
            // fabric8's messages name the URL and the HTTP status, never the token
            return FormValidation.error(Messages.ConnectionTests_KubernetesFailed(client.getMasterUrl(), e.getMessage()));
        }
    }

    /** Reads every flag of the kill switch through the front door's check (read-only), or names the first that is missing. */
    static FormValidation flags(KillSwitchConfig config, String token) throws InterruptedException {
        try {
            FlagSwitch flags = config.toFlagSwitch(token);
            flags.check();
            return FormValidation.ok(Messages.ConnectionTests_FlagsOk(flags));
        } catch (OperationException e) {
            // the front door's messages name the store and the flag, never the token
            return FormValidation.error(e.getMessage());
        }
    }
}
