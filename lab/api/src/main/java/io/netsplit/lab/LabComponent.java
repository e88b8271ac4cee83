package io.netsplit.lab;

import java.util.Set;

/**
 * A part of the lab: the brokers and the registry (start order 0, provided by the lab runtime itself), then
 * links, the mirror, the reconciler, the writer, the audit sink, the checker. Modules provide theirs through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.netsplit.lab.LabComponent}), so the
 * lab starts whatever is on its classpath and depends on none of them.
 */
public interface LabComponent {

    /** Short name used in logs, in {@code lab.components.disabled} and by kill/restart: {@code mirror}. */
    String name();

    /** Lower starts first. Brokers and registry 0, links 10, mirror 20, reconciler 30, writer 40, audit 50, health 60. */
    int startOrder();

    /** In {@link #startsAfter()}: every component with a lower start order. */
    String EVERY_EARLIER = "*";

    /** The lab runtime's component that runs every site's broker and creates the site's topics. */
    String BROKER = "broker";

    /** The lab runtime's component that runs the schema registry the sites share. */
    String REGISTRY = "registry";

    /**
     * The components (by name) that must be ready before this one starts; the lab starts the others
     * beside it, each on its own thread. Only components with a lower start order may be named; names of
     * components that are absent or disabled are ignored. By default {@link #EVERY_EARLIER}: this
     * component starts after every earlier one, as if the lab started them one after another.
     */
    default Set<String> startsAfter() {
        return Set.of(EVERY_EARLIER);
    }

    /** In {@link #stopOrder()}: the site services (reconciler, writer, audit sink, checker) stop together. */
    int STOP_WITH_SITE_SERVICES = -50;

    /**
     * Lower stops first; components (and processes) with the same stop order stop side by side. By
     * default the reverse of the start order.
     */
    default int stopOrder() {
        return -startOrder();
    }

    /**
     * A service every site runs that needs only its site's broker and the registry (reconciler, writer,
     * audit sink): it starts as soon as those are ready, beside the others, and stops with them after
     * the mirror.
     */
    interface SiteService extends LabComponent {
        @Override
        default Set<String> startsAfter() {
            return Set.of(BROKER, REGISTRY);
        }

        @Override
        default int stopOrder() {
            return STOP_WITH_SITE_SERVICES;
        }
    }

    /**
     * Starts the component for every site, through the context; returns once it is ready. Called on a
     * thread of its own, possibly while other components start: use the context from this thread.
     */
    void start(LabContext context) throws Exception;
}
