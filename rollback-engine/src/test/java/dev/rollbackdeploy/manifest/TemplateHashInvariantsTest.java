package dev.rollbackdeploy.manifest;

import static dev.rollbackdeploy.manifest.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What may and may not change a template hash: the contract records and restores rely on. */
class TemplateHashInvariantsTest {

    private static final ManifestReader READER = new ManifestReader();
    private static final String BASE = Fixtures.text("web.yaml");
    private static final ManifestSet BASE_SET = READER.read(BASE);

    static Stream<Arguments> sameRelease() {
        return Stream.of(
                row("keys in another order", t -> replaceOnce(t, "apiVersion: apps/v1\nkind: Deployment\n",
                        "kind: Deployment\napiVersion: apps/v1\n")),
                row("comments added", t -> replaceOnce(t, "  replicas: 3\n", "  # three is enough\n  replicas: 3 # for now\n")),
                row("documents in another order", t -> {
                    String[] documents = t.split("\n---\n");
                    return documents[1] + "\n---\n" + documents[0];
                }),
                row("single-quoted scalar", t -> replaceOnce(t, "greeting: hello", "greeting: 'hello'")),
                row("double-quoted scalar", t -> replaceOnce(t, "greeting: hello", "greeting: \"hello\"")),
                row("plain scalar instead of quoted", t -> replaceOnce(t, "value: \"production\"", "value: production")),
                row("flow style instead of block", t -> replaceOnce(t, "  labels:\n    app: web\nspec:",
                        "  labels: {app: web}\nspec:")),
                row("1.0 instead of 1", t -> replaceOnce(t, "replicas: 3", "replicas: 3.0")),
                row("trailing zeros in a decimal", t -> replaceOnce(t, "cpu: 0.5", "cpu: 0.500")),
                row("empty documents around", t -> "---\n---\n# nothing here\n---\n" + t + "\n---\n"),
                row("JSON stream instead of YAML", t -> Fixtures.text("web.json")),
                row("all of it at once", t -> Fixtures.text("web-reordered.yaml")),
                row("server-owned fields and our own annotations", t -> Fixtures.text("web-from-server.yaml")),
                row("an annotations map emptied by stripping", t -> replaceOnce(t, "  name: web-config\n",
                        "  name: web-config\n  annotations:\n    rollback-deploy.io/template-hash: x\n")),
                row("a null annotations map", t -> replaceOnce(t, "  name: web-config\n",
                        "  name: web-config\n  annotations:\n")),
                row("CRLF line ends", t -> t.replace("\n", "\r\n")),
                row("UTF-8 byte-order mark", t -> "\uFEFF" + t));
    }

    static Stream<Arguments> changedRelease() {
        return Stream.of(
                row("a replica count", t -> replaceOnce(t, "replicas: 3", "replicas: 4")),
                row("an env value", t -> replaceOnce(t, "value: \"production\"", "value: \"staging\"")),
                row("an image", t -> replaceOnce(t, "web:1.4.2", "web:1.4.3")),
                row("a label", t -> replaceOnce(t, "    app: web\n", "    app: shop\n")),
                row("a resource limit", t -> replaceOnce(t, "cpu: 0.5", "cpu: 0.55")),
                row("a string that looks like a number becomes a number", t -> replaceOnce(t, "ratio: \"1.0\"",
                        "ratio: 1.0")),
                row("an annotation of someone else", t -> replaceOnce(t, "  name: web-config\n",
                        "  name: web-config\n  annotations:\n    team: payments\n")),
                row("a namespace", t -> replaceOnce(t, "namespace: shop\ndata", "namespace: shop2\ndata")),
                row("a renamed object", t -> replaceOnce(t, "name: web-config", "name: web-settings")),
                row("a removed object", t -> t.split("\n---\n")[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameRelease")
    void keepsHashesWhenOnlySpellingOrServerFieldsChange(String change, UnaryOperator<String> edit) {
        ManifestSet edited = READER.read(edit.apply(BASE).getBytes(StandardCharsets.UTF_8));

        assertThat(edited.keys()).containsExactlyElementsOf(BASE_SET.keys());
        assertThat(hashes(edited)).containsExactlyElementsOf(hashes(BASE_SET));
        assertThat(edited.objects()).containsExactlyElementsOf(BASE_SET.objects());
        assertThat(edited.setHash()).isEqualTo(BASE_SET.setHash());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changedRelease")
    void changesSetHashWhenAnyValueOrNameChanges(String change, UnaryOperator<String> edit) {
        ManifestSet edited = READER.read(edit.apply(BASE));

        assertThat(edited.setHash()).isNotEqualTo(BASE_SET.setHash());
        boolean sameKeys = edited.keys().equals(BASE_SET.keys());
        if (sameKeys) {
            assertThat(hashes(edited)).isNotEqualTo(hashes(BASE_SET));
        }
    }

    private static List<TemplateHash> hashes(ManifestSet set) {
        return set.objects().stream().map(CanonicalObject::hash).toList();
    }

    private static Arguments row(String name, UnaryOperator<String> edit) {
        return Arguments.of(name, edit);
    }
}
