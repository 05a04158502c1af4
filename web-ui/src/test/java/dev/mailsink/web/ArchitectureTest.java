package dev.mailsink.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final List<String> HIDDEN = List.of("io.undertow", "org.xnio", "com.fasterxml");

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mailsink.web");

  private static boolean hidden(JavaClass type) {
    String name = type.getName();
    return HIDDEN.stream().anyMatch(name::startsWith);
  }

  @Test
  void undertowXnioAndJacksonNeverAppearInThePublicApi() {
    methods()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage("dev.mailsink.web")
        .and()
        .arePublic()
        .should(
            new ArchCondition<JavaMethod>("not mention Undertow, XNIO or Jackson types") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
                types.add(method.getRawReturnType());
                method.getThrowsClause().getTypes().forEach(types::add);
                for (JavaClass t : types) {
                  if (hidden(t)) {
                    events.add(
                        SimpleConditionEvent.violated(
                            method, method.getFullName() + " exposes " + t.getName()));
                  }
                }
              }
            })
        .check(CLASSES);
  }

  @Test
  void publicApiClassesDoNotExtendOrImplementLibraryTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.mailsink.web")
        .and()
        .arePublic()
        .should()
        .beAssignableTo(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "an Undertow, XNIO or Jackson type", ArchitectureTest::hidden))
        .check(CLASSES);
  }
}
