package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestSetTest {

    private static CanonicalObject configMap(String name, String value) {
        return CanonicalObject.of(new ObjectKey("", "ConfigMap", "shop", name), "v1",
                "{\"apiVersion\":\"v1\",\"data\":{\"k\":\"" + value + "\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                        + name + "\",\"namespace\":\"shop\"}}");
    }

    @Test
    void setHashIgnoresInputOrder() {
        ManifestSet forward = ManifestSet.of(List.of(configMap("a", "1"), configMap("b", "2")));
        ManifestSet backward = ManifestSet.of(List.of(configMap("b", "2"), configMap("a", "1")));

        assertThat(forward.setHash()).isEqualTo(backward.setHash());
        assertThat(forward.objects()).extracting(o -> o.key().name()).containsExactly("a", "b");
    }

    @Test
    void setHashChangesWithAnyObject() {
        ManifestSet base = ManifestSet.of(List.of(configMap("a", "1"), configMap("b", "2")));

        assertThat(ManifestSet.of(List.of(configMap("a", "1"), configMap("b", "3"))).setHash()).isNotEqualTo(base.setHash());
        assertThat(ManifestSet.of(List.of(configMap("a", "1"))).setHash()).isNotEqualTo(base.setHash());
    }

    @Test
    void rejectsDuplicateKindNamespaceName() {
        assertThatThrownBy(() -> ManifestSet.of(List.of(configMap("a", "1"), configMap("a", "2"))))
                .hasMessageContaining("duplicate object ConfigMap/shop/a");
    }

    @Test
    void refusesAHashThatDoesNotMatchTheBytes() {
        CanonicalObject real = configMap("a", "1");
        TemplateHash other = configMap("a", "2").hash();

        assertThatThrownBy(() -> new CanonicalObject(real.key(), "v1", real.canonicalJson(), other))
                .hasMessageContaining("ConfigMap/shop/a").hasMessageContaining(other.toString());
    }

    @ParameterizedTest(name = "{0}/{1}/{2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "deployment | shop | web   | kind must be a capitalised word",
            "Deployment | Shop | web   | namespace must be a DNS label",
            "Deployment | shop | Web   | metadata.name of Deployment",
            "Deployment | shop | NULL  | metadata.name of Deployment",
    })
    void objectKeyRejectsInvalidPartsQuotingThem(String kind, String namespace, String name, String messagePart) {
        assertThatThrownBy(() -> new ObjectKey("apps", kind, namespace, name)).hasMessageContaining(messagePart);
    }
}
