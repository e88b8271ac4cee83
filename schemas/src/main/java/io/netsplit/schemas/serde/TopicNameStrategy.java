package io.netsplit.schemas.serde;

/**
 * Confluent's default subject naming: the value schema of topic {@code t} lives under subject {@code t-value},
 * the key schema under {@code t-key}. Mirrored topics ({@code us-east.changes}) therefore get subjects of their
 * own, but keep the schema ids they were written with, which is all a reader needs.
 */
public final class TopicNameStrategy {

    private TopicNameStrategy() {
    }

    /** The subject of {@code topic}'s key ({@code isKey}) or value schema. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
