package io.netsplit.reconcile.merge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.netsplit.reconcile.merge.fixture.KafkaLeak;
import org.junit.jupiter.api.Test;

/** The merge package is pure Java: no Kafka, no Avro, no logging, no clocks, no randomness. */
class MergeBoundaryTest {

    static final String MERGE = "io.netsplit.reconcile.merge..";

    static final ArchRule NO_KAFKA_OR_AVRO = noClasses().that().resideInAPackage(MERGE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..")
            .because("the merge must be a pure function of the events it is given, testable and provable without a "
                    + "broker; the Kafka Streams processor is a thin adapter that converts Avro ChangeEvents to merge types");

    static final ArchRule NO_CLOCKS_RANDOMNESS_OR_LOGGING = noClasses().that().resideInAPackage(MERGE)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat().areAssignableTo(java.util.Random.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
            .orShould().dependOnClassesThat().resideInAnyPackage("org.slf4j..")
            .because("every site must compute the same result from the same events: a clock or random source breaks "
                    + "that, and audit text is data, not log output");

    static JavaClasses mergeClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.netsplit.reconcile.merge");
    }

    @Test
    void mergePackageImportsNoKafkaOrAvro() {
        JavaClasses classes = mergeClasses();
        assertThat(classes).isNotEmpty();
        assertThat(classes.contain(Merge.class)).isTrue();
        NO_KAFKA_OR_AVRO.check(classes);
    }

    @Test
    void mergePackageReadsNoClockAndNoRandomSource() {
        NO_CLOCKS_RANDOMNESS_OR_LOGGING.check(mergeClasses());
    }

    @Test
    void rulesCatchAClassThatBreaksThem() {
        JavaClasses leak = new ClassFileImporter().importClasses(KafkaLeak.class);
        assertThat(NO_KAFKA_OR_AVRO.evaluate(leak).hasViolation()).isTrue();
        assertThat(NO_CLOCKS_RANDOMNESS_OR_LOGGING.evaluate(leak).hasViolation()).isTrue();
    }
}
