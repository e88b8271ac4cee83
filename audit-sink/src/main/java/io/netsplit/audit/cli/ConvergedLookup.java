package io.netsplit.audit.cli;

import io.netsplit.schemas.Topics;
import io.netsplit.schemas.Topic;
import io.netsplit.lab.TopicReader;
import io.netsplit.schemas.ConvergedRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a key's current converged state at a site. Reads the site's compacted {@code converged}
 * topic (read_committed, from the start to the current end), keeping the latest record of the key:
 * it carries the conflict state and, while PENDING, the siblings with the fields they propose.
 */
public interface ConvergedLookup {

    /** The latest converged record of {@code key} at {@code site}, if the site has one. */
    Optional<ConvergedRecord> latest(String site, String key);

    /** A lookup reading the {@code topic} of each site through Kafka. */
    static ConvergedLookup kafka(Map<String, String> bootstrapBySite, String registryUrl, String topic) {
        return (site, key) -> {
            String bootstrap = bootstrapBySite.get(site);
            if (bootstrap == null) {
                throw new IllegalArgumentException("no site '" + site + "'; sites: " + bootstrapBySite.keySet());
            }
            try (Topic<String, ConvergedRecord> converged = Topics.converged(topic, Topics.registry(registryUrl))) {
                byte[][] latest = new byte[1][];
                TopicReader.forEach(bootstrap, topic, new StringDeserializer(), new ByteArrayDeserializer(), Duration.ofMinutes(2),
                        r -> {
                            if (key.equals(r.key())) {
                                latest[0] = r.value();
                            }
                        });
                return latest[0] == null ? Optional.empty()
                        : Optional.of(converged.valueSerde().deserializer().deserialize(topic, latest[0]));
            }
        };
    }
}
