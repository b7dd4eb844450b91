package dev.rollbackdeploy.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The CLI is a shell: it translates options into the front door (rollback-operations) and never
 * drives the engine's rollout, gate or restore loops itself — those live once, below both shells.
 */
class ShellArchitectureTest {

    // The module's own classes only (scanning the whole class path for the package takes seconds).
    private static final JavaClasses CLI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(java.nio.file.Path.of("target", "classes"));

    @Test
    void theCliDrivesNoRolloutGateOrRestoreLoopOfItsOwn() {
        noClasses().that().resideInAPackage("dev.rollbackdeploy.cli")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.vm.VmRun")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.vm.VmRollout")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.vm.StoppableRouter")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.rollout.Progression")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.gate.GateProbe")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.gate.GateEvaluator")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.restore.RestorePreparation")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.rollbackdeploy.plan.PlanExecutor")
                .because("the CLI only translates into the front door (issue 10: one deploy, one restore, one gate)")
                .check(CLI);
    }
}
