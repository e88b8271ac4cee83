package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link MergePolicy#ids()} is the one list of policies: configuration, manifests and the merge
 * laws' property tests ({@code MergeLawsTest} draws its policy from it) iterate it. A policy class
 * that is not reachable from it would escape the laws, so this test fails when one is missing.
 */
class PolicyRegistryTest {

    @Test
    void everyPolicyClassIsReachableFromTheIdsTheLawsIterate() {
        Set<String> implementations = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.netsplit.reconcile.merge").stream()
                .filter(c -> c.isAssignableTo(MergePolicy.class) && !c.isInterface() && !c.isAnonymousClass())
                .map(JavaClass::getName)
                .collect(Collectors.toSet());
        SiteOrder ranking = new SiteOrder(List.of("us-east", "eu-west"));
        Set<String> reachable = MergePolicy.ids().stream()
                .map(id -> MergePolicy.byId(id, ranking).getClass().getName())
                .collect(Collectors.toSet());

        assertThat(implementations).as("policy classes found").hasSizeGreaterThanOrEqualTo(5);
        assertThat(reachable).as("classes behind MergePolicy.ids()").isEqualTo(implementations);
    }

    @Test
    void eachIdNamesItsOwnPolicyAndAnUnknownIdListsThemAll() {
        SiteOrder ranking = new SiteOrder(List.of("us-east"));
        for (String id : MergePolicy.ids()) {
            assertThat(MergePolicy.byId(id, ranking).id()).isEqualTo(id);
        }
        assertThat(MergePolicy.ids()).doesNotHaveDuplicates();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MergePolicy.byId("coin-flip", ranking))
                .hasMessage("unknown merge policy 'coin-flip'; known: " + String.join(", ", MergePolicy.ids()));
    }
}
