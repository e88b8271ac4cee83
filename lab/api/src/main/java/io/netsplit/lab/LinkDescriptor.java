package io.netsplit.lab;

/**
 * One directed WAN link (source → target): the target's mirror reaches the source's broker only
 * through {@code listen}, a proxy in front of the source broker's dedicated listener
 * {@code listener} at {@code upstream}. The broker advertises {@code listen} on that listener, so
 * Kafka's metadata keeps clients on the link.
 */
public record LinkDescriptor(String source, String target, String listener, String upstream, String listen) {

    /** The id drills and Toxiproxy use for this link: {@code us-east->eu-west}. */
    public String id() {
        return source + "->" + target;
    }

    /** The broker listener name for a link towards {@code target}: {@code WAN_EU_WEST}. */
    public static String listenerName(String target) {
        return "WAN_" + target.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
