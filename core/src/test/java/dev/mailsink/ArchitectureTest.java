package dev.mailsink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mailsink");

  @Test
  void publicApiDoesNotExposeSubEthaSmtpOrJakartaMail() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage(
            "dev.mailsink",
            "dev.mailsink.fault",
            "dev.mailsink.syntax",
            "dev.mailsink.spi",
            "dev.mailsink.session",
            "dev.mailsink.relay")
        .should()
        .haveRawReturnType(
            com.tngtech.archunit.base.DescribedPredicate.not(
                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                    "org.subethamail..", "jakarta.mail..")))
        .check(CORE);
  }

  @Test
  void onlyInternalPackagesUseSubEthaSmtp() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.mailsink.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.subethamail..")
        .check(CORE);
  }

  @Test
  void theSharedReadSideNeedsNoServerLibrary() {
    // the remote client uses these packages without SubEthaSMTP or Bouncy Castle on its classpath
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.mailsink.syntax..",
            "dev.mailsink.spi..",
            "dev.mailsink.session..",
            "dev.mailsink.relay..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.subethamail..", "org.bouncycastle..", "dev.mailsink.internal..", "com.fasterxml..")
        .check(CORE);
  }
}
