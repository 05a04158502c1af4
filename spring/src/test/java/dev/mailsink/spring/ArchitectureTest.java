package dev.mailsink.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MODULE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mailsink.spring");

  @Test
  void usesOnlyThePublicApiOfTheOtherModules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.mailsink.internal..",
            "dev.mailsink.junit.internal..",
            "dev.mailsink.testcontainers.internal..",
            "org.subethamail..")
        .check(MODULE);
  }

  @Test
  void testcontainersIsReachedOnlyFromTheContainerCase() {
    noClasses()
        .that()
        .doNotHaveSimpleName("ContainerSink")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mailsink.testcontainers..", "org.testcontainers..")
        .check(MODULE);
  }

  @Test
  void theApiIsTheAnnotationAlone() {
    classes()
        .that()
        .arePublic()
        .and()
        .resideInAPackage("dev.mailsink.spring")
        .should()
        .haveSimpleName("AutoConfigureMailsink")
        .check(MODULE);
  }
}
