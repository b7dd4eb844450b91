package dev.rollbackdeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** Opens the built .hpi: its entries, both manifests, and that no API plugin's library is bundled twice. */
class HpiContentsIT {

    private static final Path HPI = Path.of(System.getProperty("rollback.hpi", "target/rollback-deploy.hpi"));
    private static final Path BUNDLE = Path.of(System.getProperty("jenkins.bundle.dir", "../../shared/jenkins"));

    @Test
    void hpiBundlesOurModulesAndCommonsMathButNoLibraryAnApiPluginProvides() throws IOException {
        List<String> libs = new ArrayList<>();
        try (ZipFile hpi = new ZipFile(HPI.toFile())) {
            hpi.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("WEB-INF/lib/".length())).forEach(libs::add);
        }
        assertThat(libs).contains("rollback-plugin.jar");
        for (String module : List.of("rollback-engine", "rollback-prometheus", "rollback-haproxy", "rollback-kubernetes",
                "rollback-vm", "rollback-operations", "rollback-registry", "commons-math3")) {
            assertThat(libs).as("WEB-INF/lib bundles " + module).anyMatch(l -> l.startsWith(module + "-"));
        }
        assertThat(libs).as("libraries that jackson2-api, snakeyaml-api, okhttp-api, kubernetes-client-api provide")
                .noneMatch(l -> l.matches("(jackson|snakeyaml|okhttp|okio|kotlin|kubernetes-(client|model|httpclient)"
                        + "|openshift|zjsonpatch|logging-interceptor|annotations-13).*"));
    }

    @Test
    void hpiAndInnerJarCarryThePluginManifestWithTheBundleVersions() throws IOException {
        Attributes outer;
        Attributes inner;
        try (ZipFile hpi = new ZipFile(HPI.toFile())) {
            try (InputStream in = hpi.getInputStream(hpi.getEntry("META-INF/MANIFEST.MF"))) {
                outer = new Manifest(in).getMainAttributes();
            }
            try (JarInputStream jar = new JarInputStream(hpi.getInputStream(hpi.getEntry("WEB-INF/lib/rollback-plugin.jar")))) {
                inner = jar.getManifest().getMainAttributes();
            }
        }
        for (Attributes manifest : List.of(outer, inner)) {
            assertThat(manifest.getValue("Short-Name")).isEqualTo("rollback-deploy");
            assertThat(manifest.getValue("Jenkins-Version")).isEqualTo("2.541.3");
            assertThat(manifest.getValue("Plugin-Version")).isNotBlank();
            assertThat(manifest.getValue("Plugin-Dependencies").split(",")).contains(
                    "kubernetes-client-api:7.3.1-256.v788a_0b_787114", "okhttp-api:5.3.2-200.vedb_720a_cf1f8",
                    "jackson2-api:2.22.0-439.vb_b_43658d6176", "snakeyaml-api:2.5-143.v93b_c004f89de",
                    "workflow-step-api:710.v3e456cc85233", "credentials:1502.v5c95e620ddfe",
                    "plain-credentials:199.v9f8e1f741799");
        }
        assertThat(inner.getValue("Plugin-Dependencies")).isEqualTo(outer.getValue("Plugin-Dependencies"));
    }

    @Test
    void rootJacksonVersionIsTheOneJackson2ApiShips() throws IOException {
        String rootPom = Files.readString(Path.of("..", "pom.xml"));
        Matcher declared = Pattern.compile("<jackson.version>([^<]+)</jackson.version>").matcher(rootPom);
        assertThat(declared.find()).isTrue();
        Path apiHpi = BUNDLE.resolve("m2/org/jenkins-ci/plugins/jackson2-api/2.22.0-439.vb_b_43658d6176/"
                + "jackson2-api-2.22.0-439.vb_b_43658d6176.hpi");
        String shipped;
        try (ZipFile hpi = new ZipFile(apiHpi.toFile())) {
            shipped = hpi.stream().map(ZipEntry::getName)
                    .filter(n -> n.matches("WEB-INF/lib/jackson-databind-.*\\.jar")).findFirst().orElseThrow()
                    .replaceAll("WEB-INF/lib/jackson-databind-(.*)\\.jar", "$1");
        }
        assertThat(declared.group(1)).isEqualTo(shipped);
    }
}
