package io.netsplit.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link LabComponent} may use while starting: the configuration, the sites and links as
 * far as they are known, free ports, and the launcher that keeps every process under the lab's
 * ownership (stopped with the lab, killable and restartable by drills).
 */
public interface LabContext {

    LabConfig config();

    Path runDir();

    String registryUrl();

    List<SiteDescriptor> sites();

    List<LinkDescriptor> links();

    int freePort();

    /**
     * Starts {@code java <jvmArgs> mainClass <args>} on this JVM's classpath, logging to
     * {@code runDir/logs/<component>-<site>.log}, waits for readiness and registers the process.
     * {@code site} is null for a component shared by all sites.
     */
    ManagedProcess launchJava(String component, String site, List<String> jvmArgs, String mainClass,
                              List<String> args, ManagedProcess.Readiness readiness);

    /**
     * As {@link #launchJava} but returns once the process is started, without waiting for readiness: for a
     * component that starts several processes side by side and then awaits each
     * ({@link ManagedProcess#awaitReady}).
     */
    ManagedProcess startJava(String component, String site, List<String> jvmArgs, String mainClass,
                             List<String> args, ManagedProcess.Readiness readiness);

    /**
     * Starts {@code command} (not a Java main on this classpath: a distribution with its own launcher),
     * logging to {@code runDir/logs/<component>[-<site>].log}, and registers it; returns without waiting
     * for readiness.
     */
    ManagedProcess startProcess(String component, String site, List<String> command,
                                ManagedProcess.Readiness readiness);

    /** Prints one progress line of the lab's start, e.g. {@code broker@us-east ready  3.2 s}, timed from {@code sinceNanos}. */
    void report(String what, long sinceNanos);

    /** Registers a service URL of a site in {@code lab.json} (e.g. {@code writer}). */
    void putService(String site, String key, String url);

    /** Registers how link control is reached (e.g. {@code driver}, {@code url}). */
    void putLinkControl(String key, String value);

    /** Something in this JVM to close when the lab stops, in this component's stop order. */
    void onStop(AutoCloseable resource);
}
