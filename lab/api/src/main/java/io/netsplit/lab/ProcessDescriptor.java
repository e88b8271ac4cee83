package io.netsplit.lab;

/** A process the lab started: what it is, at which site (null for shared ones), its PID and log. */
public record ProcessDescriptor(String component, String site, long pid, String log) {
}
