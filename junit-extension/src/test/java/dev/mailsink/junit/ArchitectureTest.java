package dev.mailsink.junit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final com.tngtech.archunit.core.domain.JavaClasses EXTENSION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mailsink.junit");

  private static final DescribedPredicate<JavaClass> INTERNAL =
      JavaClass.Predicates.resideInAnyPackage("..internal..", "org.subethamail..");

  @Test
  void theExtensionUsesOnlyCoresPublicApi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mailsink.internal..", "org.subethamail..", "jakarta.mail..")
        .check(EXTENSION);
  }

  @Test
  void publicMethodsOfTheApiShowNoInternalTypes() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage("dev.mailsink.junit")
        .should()
        .haveRawReturnType(DescribedPredicate.not(INTERNAL))
        .andShould()
        .haveRawParameterTypes(
            DescribedPredicate.describe(
                "no internal types", (List<JavaClass> types) -> types.stream().noneMatch(INTERNAL)))
        .check(EXTENSION);
  }
}
