package dev.rollbackdeploy.bench;

/** Writes realistic release objects (Deployment, ConfigMap, Service) as YAML and as JSON. */
final class ReleaseGenerator {

    private ReleaseGenerator() {
    }

    static void appendYaml(StringBuilder out, int app) {
        String name = "app-" + app;
        out.append("---\n# ").append(name).append(": web tier\n")
                .append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ").append(name)
                .append("\n  namespace: shop\n  labels:\n    app.kubernetes.io/name: ").append(name)
                .append("\n    app.kubernetes.io/part-of: shop\n    team: payments\n")
                .append("  annotations:\n    description: \"Serves the ").append(name).append(" storefront\"\n")
                .append("spec:\n  replicas: ").append(2 + app % 5).append("\n  revisionHistoryLimit: 5\n")
                .append("  selector:\n    matchLabels:\n      app.kubernetes.io/name: ").append(name).append('\n')
                .append("  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}\n")
                .append("  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ").append(name)
                .append("\n    spec:\n      serviceAccountName: ").append(name)
                .append("\n      terminationGracePeriodSeconds: 30\n      containers:\n")
                .append("        - name: app\n          image: ghcr.io/acme/").append(name).append(":1.")
                .append(app % 40).append(".3\n")
                .append("          ports:\n            - {name: http, containerPort: 8080, protocol: TCP}\n")
                .append("          env:\n");
        for (int i = 0; i < 8; i++) {
            out.append("            - name: SETTING_").append(i).append("\n              value: '")
                    .append("value-").append(app).append('-').append(i).append("'\n");
        }
        out.append("          resources:\n            requests: {cpu: 250m, memory: 256Mi}\n")
                .append("            limits: {cpu: 1.0, memory: 512Mi}\n")
                .append("          readinessProbe:\n            httpGet: {path: /healthz, port: http}\n")
                .append("            periodSeconds: 5\n            failureThreshold: 3\n")
                .append("        - name: proxy\n          image: envoyproxy/envoy:v1.31.2\n")
                .append("          args: [\"--config-path\", \"/etc/envoy/envoy.yaml\", \"--log-level\", \"warn\"]\n")
                .append("          volumeMounts:\n            - name: envoy\n              mountPath: /etc/envoy\n")
                .append("      volumes:\n        - name: envoy\n          configMap:\n            name: ")
                .append(name).append("-envoy\n");
        out.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").append(name)
                .append("-envoy\n  namespace: shop\ndata:\n  envoy.yaml: |\n");
        for (int i = 0; i < 12; i++) {
            out.append("    listener_").append(i).append(": {address: 0.0.0.0, port: ").append(10000 + i)
                    .append(", timeout: 15s}\n");
        }
        out.append("  feature-flags: \"checkout=on,search=off\"\n");
        out.append("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ").append(name)
                .append("\n  namespace: shop\nspec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: ")
                .append(name).append("\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n");
    }

    static void appendJson(StringBuilder out, int app) {
        String name = "app-" + app;
        out.append("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"")
                .append(name).append("\", \"namespace\": \"shop\", \"labels\": {\"app.kubernetes.io/name\": \"")
                .append(name).append("\", \"app.kubernetes.io/part-of\": \"shop\", \"team\": \"payments\"},")
                .append(" \"annotations\": {\"description\": \"Serves the ").append(name).append(" storefront\"}},\n")
                .append(" \"spec\": {\"replicas\": ").append(2 + app % 5).append(", \"revisionHistoryLimit\": 5,")
                .append(" \"selector\": {\"matchLabels\": {\"app.kubernetes.io/name\": \"").append(name).append("\"}},")
                .append(" \"strategy\": {\"type\": \"RollingUpdate\", \"rollingUpdate\": {\"maxSurge\": \"25%\",")
                .append(" \"maxUnavailable\": 0}},\n  \"template\": {\"metadata\": {\"labels\": {")
                .append("\"app.kubernetes.io/name\": \"").append(name).append("\"}}, \"spec\": {\"serviceAccountName\": \"")
                .append(name).append("\", \"terminationGracePeriodSeconds\": 30, \"containers\": [\n")
                .append("   {\"name\": \"app\", \"image\": \"ghcr.io/acme/").append(name).append(":1.").append(app % 40)
                .append(".3\", \"ports\": [{\"name\": \"http\", \"containerPort\": 8080, \"protocol\": \"TCP\"}],")
                .append(" \"env\": [");
        for (int i = 0; i < 8; i++) {
            out.append(i == 0 ? "" : ", ").append("{\"name\": \"SETTING_").append(i).append("\", \"value\": \"value-")
                    .append(app).append('-').append(i).append("\"}");
        }
        out.append("],\n    \"resources\": {\"requests\": {\"cpu\": \"250m\", \"memory\": \"256Mi\"},")
                .append(" \"limits\": {\"cpu\": 1.0, \"memory\": \"512Mi\"}},")
                .append(" \"readinessProbe\": {\"httpGet\": {\"path\": \"/healthz\", \"port\": \"http\"},")
                .append(" \"periodSeconds\": 5, \"failureThreshold\": 3}},\n")
                .append("   {\"name\": \"proxy\", \"image\": \"envoyproxy/envoy:v1.31.2\", \"args\": [\"--config-path\",")
                .append(" \"/etc/envoy/envoy.yaml\", \"--log-level\", \"warn\"], \"volumeMounts\": [{\"name\": \"envoy\",")
                .append(" \"mountPath\": \"/etc/envoy\"}]}],\n  \"volumes\": [{\"name\": \"envoy\", \"configMap\": {\"name\": \"")
                .append(name).append("-envoy\"}}]}}}}\n");
        out.append("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"").append(name)
                .append("-envoy\", \"namespace\": \"shop\"}, \"data\": {\"envoy.yaml\": \"");
        for (int i = 0; i < 12; i++) {
            out.append("listener_").append(i).append(": {address: 0.0.0.0, port: ").append(10000 + i)
                    .append(", timeout: 15s}\\n");
        }
        out.append("\", \"feature-flags\": \"checkout=on,search=off\"}}\n");
        out.append("{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"").append(name)
                .append("\", \"namespace\": \"shop\"}, \"spec\": {\"type\": \"ClusterIP\", \"selector\": {")
                .append("\"app.kubernetes.io/name\": \"").append(name).append("\"}, \"ports\": [{\"name\": \"http\",")
                .append(" \"port\": 80, \"targetPort\": \"http\"}]}}\n");
    }
}
