package org.apache.avro.standin;

/**
 * Test-only: a class in Avro's package namespace. The merge module has neither Kafka nor Avro on
 * any class path, so {@code KafkaLeak} depends on this stand-in to show that the boundary rule
 * catches a dependency on {@code org.apache.avro..} (the rule matches packages, not jars).
 */
public final class AvroStandIn {

    private AvroStandIn() {
    }

    public static String schemaName(String topic) {
        return topic + "-value";
    }
}
