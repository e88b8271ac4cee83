package io.netsplit.lab;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which components wait for which when the lab starts them side by side. */
class ComponentOrderTest {

    private record Fake(String name, int startOrder, Set<String> startsAfter) implements LabComponent {
        @Override
        public void start(LabContext context) {
        }
    }

    private static final Fake LINKS = new Fake("links", 10, Set.of());
    private static final Fake MIRROR = new Fake("mirror", 20, Set.of("links"));
    private static final Fake RECONCILER = new Fake("reconciler", 30, Set.of());
    private static final Fake HEALTH = new Fake("health", 60, Set.of(LabComponent.EVERY_EARLIER));
    private static final List<LabComponent> ALL = List.of(LINKS, MIRROR, RECONCILER, HEALTH);

    @Test
    void shouldWaitOnlyForWhatAComponentNames() {
        assertThat(EmbeddedLab.dependencies(MIRROR, ALL)).containsExactly("links");
        assertThat(EmbeddedLab.dependencies(RECONCILER, ALL)).isEmpty();
    }

    @Test
    void shouldWaitForEveryEarlierComponentByDefault() {
        LabComponent plain = new LabComponent() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public int startOrder() {
                return 25;
            }

            @Override
            public void start(LabContext context) {
            }
        };
        assertThat(EmbeddedLab.dependencies(plain, List.of(LINKS, MIRROR, plain, RECONCILER))).containsExactly("links", "mirror");
        assertThat(EmbeddedLab.dependencies(HEALTH, ALL)).containsExactly("links", "mirror", "reconciler");
    }

    @Test
    void shouldStartSiteServicesAfterTheBrokersAndTheRegistryOnly() {
        Fake broker = new Fake(LabComponent.BROKER, 0, Set.of());
        Fake registry = new Fake(LabComponent.REGISTRY, 0, Set.of());
        LabComponent.SiteService writer = new LabComponent.SiteService() {
            @Override
            public String name() {
                return "writer";
            }

            @Override
            public int startOrder() {
                return 40;
            }

            @Override
            public void start(LabContext context) {
            }
        };
        List<LabComponent> all = List.of(broker, registry, LINKS, MIRROR, RECONCILER, writer, HEALTH);
        assertThat(EmbeddedLab.dependencies(writer, all)).containsExactly("broker", "registry");
        assertThat(EmbeddedLab.dependencies(broker, all)).isEmpty();
        assertThat(EmbeddedLab.dependencies(HEALTH, all)).contains("broker", "registry", "writer");
        assertThat(writer.stopOrder()).isLessThan(0);
    }

    @Test
    void shouldIgnoreAbsentComponentsAndRejectALaterOne() {
        assertThat(EmbeddedLab.dependencies(MIRROR, List.of(MIRROR, RECONCILER))).isEmpty();
        Fake early = new Fake("early", 5, Set.of("reconciler"));
        assertThatThrownBy(() -> EmbeddedLab.dependencies(early, List.of(early, RECONCILER)))
                .isInstanceOf(LabException.class).hasMessageContaining("early starts after reconciler");
    }
}
