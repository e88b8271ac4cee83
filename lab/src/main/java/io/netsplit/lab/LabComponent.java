package io.netsplit.lab;

/**
 * A part of a site that the lab starts after the brokers and the registry are ready: links, the
 * mirror, the reconciler, the writer, the audit sink... Modules provide implementations through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.netsplit.lab.LabComponent}), so the
 * lab starts whatever is on its classpath and depends on none of them.
 */
public interface LabComponent {

    /** Short name used in logs, in {@code lab.components.disabled} and by kill/restart: {@code mirror}. */
    String name();

    /** Lower starts first. Links 10, mirror 20, reconciler 30, writer 40, audit 50, health 60. */
    int startOrder();

    /** Lower stops first; by default the reverse of the start order. */
    default int stopOrder() {
        return -startOrder();
    }

    /** Starts the component for every site, through the context; returns once it is ready. */
    void start(LabContext context) throws Exception;
}
