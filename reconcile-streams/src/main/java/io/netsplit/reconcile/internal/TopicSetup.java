package io.netsplit.reconcile.internal;

import io.netsplit.kit.TopicName;
import io.netsplit.kit.TopicSettings;
import io.netsplit.reconcile.ReconcileConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics a reconciler writes if they are missing, with the settings {@link TopicSettings} decides for the
 * cluster (min(3, brokers) replicas unless {@code reconcile.replication.factor} says otherwise), and checks the ordered log has exactly
 * one partition (the site's total order, the single writer of the audit sequence).
 */
public final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /** Creates converged (compact), audit, dead-letter and, for a live app, the redrive topic and the ordered log. */
    public static void ensure(Admin admin, ReconcileConfig config) throws Exception {
        ReconcileConfig.Topics t = config.topics();
        short rf = config.replicationFactor() > 0 ? config.replicationFactor()
                : TopicSettings.replicationFactor(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        int partitions = partitionsOf(admin, t.changes()).orElse(1);
        long retention = TopicSettings.CHANGES_RETENTION_DEFAULT;
        create(admin, TopicSettings.newTopic(TopicName.CONVERGED, t.converged(), partitions, rf, retention));
        create(admin, TopicSettings.newTopic(TopicName.AUDIT, t.audit(), 1, rf, retention));
        create(admin, TopicSettings.newTopic(TopicName.DLQ, t.dlq(), 1, rf, retention));
        if (config.ingest()) {
            // local input for dead letters put back by an operator (never mirrored): created here so it is subscribed at once
            create(admin, TopicSettings.newTopic(TopicName.REDRIVE, t.redrive(), 1, rf, retention));
            create(admin, TopicSettings.newTopic(TopicName.LOG, t.log(), 1, rf, retention));
        }
        int logPartitions = partitionsOf(admin, t.log()).orElse(1);
        if (logPartitions != 1) {
            throw new IllegalStateException("ordered log topic '" + t.log() + "' has " + logPartitions
                    + " partitions; it must have exactly 1 (" + ReconcileConfig.TOPIC_LOG + ")");
        }
    }

    /** Partition count of a topic, or empty if it does not exist. */
    public static Optional<Integer> partitionsOf(Admin admin, String topic) throws Exception {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            return Optional.of(d.get(topic).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void create(Admin admin, NewTopic topic) throws Exception {
        try {
            admin.createTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
            log.info("created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
