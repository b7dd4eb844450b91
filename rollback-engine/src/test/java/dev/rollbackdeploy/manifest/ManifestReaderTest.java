package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    private static final ManifestReader READER = new ManifestReader();

    @Test
    void readsSeveralFilesAsOneReleaseIncludingListItems() {
        ManifestSet set = READER.read(List.of(Fixtures.path("web.yaml"), Fixtures.path("web-jobs.yaml")));

        assertThat(set.keys()).containsExactly(
                new ObjectKey("rbac.authorization.k8s.io", "ClusterRole", "", "shop-reader"),
                new ObjectKey("", "ConfigMap", "shop", "web-config"),
                new ObjectKey("apps", "Deployment", "shop", "web"),
                new ObjectKey("batch", "Job", "shop", "migrate"));
        assertThat(set.get(new ObjectKey("batch", "Job", "shop", "migrate")).orElseThrow().apiVersion()).isEqualTo("batch/v1");
    }

    @Test
    void setHashDoesNotDependOnTheOrderOfFiles() {
        ManifestSet forward = READER.read(List.of(Fixtures.path("web.yaml"), Fixtures.path("web-jobs.yaml")));
        ManifestSet backward = READER.read(List.of(Fixtures.path("web-jobs.yaml"), Fixtures.path("web.yaml")));

        assertThat(backward.setHash()).isEqualTo(forward.setHash());
    }

    @Test
    void rejectsTheSameObjectInTwoFilesNamingBoth() {
        Path web = Fixtures.path("web.yaml");
        Path copy = Fixtures.path("web-reordered.yaml");

        assertThatThrownBy(() -> READER.read(List.of(web, copy)))
                .isInstanceOf(ManifestException.class)
                .hasMessageContainingAll(copy + " document 1", "duplicate object ConfigMap/shop/web-config",
                        "first defined in " + web + " document 2");
    }

    @Test
    void keepsAnEmptyNamespaceWhenTheManifestHasNone() {
        ManifestSet set = READER.read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");

        assertThat(set.keys()).containsExactly(new ObjectKey("", "ConfigMap", "", "settings"));
    }

    @Test
    void countsEmptyDocumentsWhenNamingTheDocumentAtFault() {
        String input = "---\n# nothing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: Secret\n";

        assertThatThrownBy(() -> READER.read(input)).hasMessageStartingWith("<input> document 3 (line 8): missing apiVersion");
    }

    @Test
    void readsAnEmptyInputAsAnEmptyRelease() {
        assertThat(READER.read("# nothing to deploy\n").size()).isZero();
    }

    @Test
    void readsYaml11BooleansLikeKubectlButKeepsQuotedStrings() {
        ManifestSet set = READER.read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                + "data: {flag: yes, off: off, quoted: 'yes', empty: '', none: , octal: '0755', version: \"1.10\"}\n");

        assertThat(set.objects().get(0).canonicalJson()).contains(
                "\"data\":{\"empty\":\"\",\"flag\":true,\"none\":null,\"octal\":\"0755\",\"off\":false,"
                        + "\"quoted\":\"yes\",\"version\":\"1.10\"}");
    }

    @Test
    void readsAFileAndNamesItInMessages(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: A}\n");

        assertThatThrownBy(() -> READER.read(file)).hasMessageStartingWith(file + " document 1 (line 1): ")
                .hasMessageContaining("'A'");
    }

    @Test
    void refusesFilesWhoseTotalExceedsTheLimitBeforeReadingTheLast(@TempDir Path dir) throws IOException {
        Path first = Files.writeString(dir.resolve("a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Path second = Files.writeString(dir.resolve("b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
        ManifestReader reader = new ManifestReader(ManifestLimits.DEFAULTS.withMaxInputBytes(Files.size(first) + 10));

        assertThatThrownBy(() -> reader.read(List.of(first, second)))
                .hasMessage(second + ": input exceeds maxInputBytes=" + (Files.size(first) + 10) + " (" + second
                        + " is " + Files.size(second) + " bytes, " + Files.size(first) + " already read)");
    }

    @Test
    void namesAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> READER.read(missing)).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(missing + ": cannot read");
    }

    @Test
    void refusesLimitsOutsideTheirRange() {
        assertThatThrownBy(() -> ManifestLimits.DEFAULTS.withMaxNestingDepth(5000))
                .hasMessage("maxNestingDepth must be 3..1000, got 5000");
        assertThatThrownBy(() -> ManifestLimits.DEFAULTS.withMaxDocuments(0))
                .hasMessage("maxDocuments must be at least 1, got 0");
    }
}
