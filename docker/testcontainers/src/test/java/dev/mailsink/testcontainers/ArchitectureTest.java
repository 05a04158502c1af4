package dev.mailsink.testcontainers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries: what its classes may use and what its public API may show. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mailsink.testcontainers");

  @Test
  void usesNeitherTheServersNorCoresInternalsButTheSharedMailboxPiecesAndTheJsonCodec() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.undertow..",
            "org.xnio..",
            "org.subethamail..",
            "org.bouncycastle..",
            "dev.mailsink.internal.smtp..",
            "dev.mailsink.internal.store..",
            "dev.mailsink.internal.fault..",
            "dev.mailsink.web..",
            "dev.mailsink.server..")
        .check(CLASSES);
  }

  @Test
  void publicMethodsShowNoJacksonTypes() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should()
        .haveRawReturnType(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "a type outside Jackson", c -> !c.getPackageName().startsWith("com.fasterxml")))
        .check(CLASSES);
  }
}
