package dev.rollbackdeploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine is pure: it decides, adapters act, shells translate. */
class ArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rollbackdeploy");

    @Test
    void engineImportsNoJenkinsFabric8OrOkHttp() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.kohsuke..", "io.fabric8..", "okhttp3..")
                .because("the engine must run and be tested without Jenkins, Kubernetes or HTTP clients")
                .check(ENGINE);
    }

    @Test
    void engineHasNoAdapterOrShellPackages() {
        noClasses().should()
                .resideInAnyPackage("dev.rollbackdeploy.jenkins..", "dev.rollbackdeploy.cli..",
                        "dev.rollbackdeploy.kubernetes..", "dev.rollbackdeploy.prometheus..",
                        "dev.rollbackdeploy.haproxy..", "dev.rollbackdeploy.registry..")
                .check(ENGINE);
    }

    @Test
    void enginePackagesHaveNoCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.rollbackdeploy.(*)..").should().beFreeOfCycles()
                .because("value types sit below records, records below planning and rollouts; a cycle means a type is in the wrong package")
                .check(ENGINE);
    }

    @Test
    void importsTheEngineClassesItChecks() {
        // Guards the two rules above against passing on an empty import.
        assertThat(ENGINE.contain("dev.rollbackdeploy.image.ImageRef")).isTrue();
    }
}
