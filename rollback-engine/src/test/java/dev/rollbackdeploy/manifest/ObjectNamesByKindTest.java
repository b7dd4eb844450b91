package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** metadata.name is checked by kind as the API server checks it, never more strictly (issue 9, item 9). */
class ObjectNamesByKindTest {

    private static final ManifestReader READER = new ManifestReader();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "ClusterRole        | metallb-system:controller",
            "ClusterRole        | system:controller:job-controller",
            "ClusterRoleBinding | cert-manager-cainjector:leaderelection",
            "Role               | Leader_Election.Role",
            "RoleBinding        | system::leader-locking-kube-scheduler",
    })
    void acceptsPathSegmentNamesOfRbacKinds(String kind, String name) {
        ManifestSet set = READER.read("apiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind
                + "\nmetadata:\n  name: '" + name + "'\n");

        assertThat(set.keys()).containsExactly(new ObjectKey("rbac.authorization.k8s.io", kind, "", name));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "rbac.authorization.k8s.io/v1 | ClusterRole | a/b                       | may not contain '/' or '%'",
            "rbac.authorization.k8s.io/v1 | Role        | 100%                      | may not contain '/' or '%'",
            "rbac.authorization.k8s.io/v1 | Role        | ..                        | may not be '..'",
            "v1                           | ConfigMap   | metallb-system:controller | must be a DNS subdomain",
            "acme.io/v1                   | ClusterRole | system:reader             | must be a DNS subdomain",
    })
    void refusesWhatTheApiServerRefusesNamingKindAndValue(String apiVersion, String kind, String name, String problem) {
        assertThatThrownBy(() -> READER.read("apiVersion: " + apiVersion + "\nkind: " + kind
                + "\nmetadata:\n  name: '" + name + "'\n"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContainingAll("metadata.name of " + kind, problem);
    }

    @org.junit.jupiter.api.Test
    void namesWithTabsOrNewlinesCannotForgeAnotherSetHash() {
        // One role named "a\tb" must not hash as the lines of other objects would.
        ManifestSet tab = READER.read("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\","
                + "\"metadata\":{\"name\":\"a\\tb\"}}");
        ManifestSet plain = READER.read("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\","
                + "\"metadata\":{\"name\":\"a b\"}}");

        assertThat(tab.setHash()).isNotEqualTo(plain.setHash());
    }
}
