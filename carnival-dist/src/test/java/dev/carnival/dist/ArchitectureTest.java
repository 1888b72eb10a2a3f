package dev.carnival.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of Carnival's main code, as rules that fail the build: the api at the bottom, the
 * engine (carnival.runtime) on it, the command line (carnival.cli) on top; plugins see the api
 * only; no package cycles anywhere; the supervisor's engine knows nothing of how it is assembled
 * from a config or driven from the command line. Here because this module sees every other one.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainCode() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.carnival");
    }

    @Test
    void everyModuleIsThere() {
        for (String pkg : new String[] {"dev.carnival.api", "dev.carnival.runtime.supervise", "dev.carnival.cli",
                "dev.carnival.plugins.toml", "dev.carnival.plugins.restart"}) {
            if (!main.containPackage(pkg)) {
                throw new AssertionError("no main classes imported from " + pkg + ": the rules below would pass vacuously");
            }
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.carnival.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void apiThenEngineThenCommandLineAndPluginsOnTheApiOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("dev.carnival.api..")
                .layer("engine").definedBy("dev.carnival.runtime..")
                .layer("command line").definedBy("dev.carnival.cli..")
                .layer("plugins").definedBy("dev.carnival.plugins..")
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer("plugins").mayNotBeAccessedByAnyLayer()
                .whereLayer("engine").mayOnlyBeAccessedByLayers("command line")
                .whereLayer("api").mayOnlyBeAccessedByLayers("engine", "command line", "plugins")
                .check(main);
    }

    @Test
    void theSupervisorKnowsNotHowItIsAssembledNorDriven() {
        noClasses().that().resideInAPackage("dev.carnival.runtime.supervise..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.carnival.runtime.compose..",
                        "dev.carnival.runtime.config..", "dev.carnival.cli..")
                .check(main);
    }
}
