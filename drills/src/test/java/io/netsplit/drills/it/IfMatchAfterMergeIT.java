package io.netsplit.drills.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import io.netsplit.writer.EntityView;
import io.netsplit.writer.SiteWriterClient;
import io.netsplit.writer.SiteWriterException;
import io.netsplit.writer.WriteAck;
import io.netsplit.writer.WriteOptions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The writer's If-Match across a real merge: two sites cut off from each other both write version 1 of a key;
 * after the heal the merged state is at version 1 too, but made of both writes. A client that still holds the
 * losing write's ETag must get 412 (comparing versions alone would let its stale write through: a lost update);
 * the ETag of a GET of the merged state is accepted.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class IfMatchAfterMergeIT {

    @Test
    void theLosingWritesETagGets412AfterAMergeAtEqualVersions(Lab lab) throws Exception {
        String key = "etag-" + UUID.randomUUID().toString().substring(0, 8);
        SiteWriterClient us = new SiteWriterClient(lab.site("us-east").requireService("writer"), null, Duration.ofSeconds(30));
        SiteWriterClient eu = new SiteWriterClient(lab.site("eu-west").requireService("writer"), null, Duration.ofSeconds(30));

        WriteAck east;
        WriteAck west;
        try (LinkControl links = LinkControls.fromDescriptor(LabDescriptor.read(lab.runDir()))) {
            links.isolate("us-east", "eu-west");
            try {
                east = us.put(key, Map.of("v", "east"));
                west = eu.put(key, Map.of("v", "west"));
            } finally {
                links.heal("us-east", "eu-west");
            }
        }
        assertThat(east.version()).isEqualTo(1);
        assertThat(west.version()).isEqualTo(1);

        // once us-east's converged view holds both writes
        await("both writes merged at us-east").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> us.get(key).filter(v -> v.vector().get("us-east") >= east.dot().counter()
                        && v.vector().get("eu-west") >= west.dot().counter()).isPresent());
        EntityView merged = us.get(key).orElseThrow();
        assertThat(merged.version()).as("a merge of two version-1 writes").isEqualTo(1);
        WriteAck loser = merged.winner().equals(east.dot()) ? west : east;
        WriteAck winner = loser == west ? east : west;
        System.out.printf("merged %s at version %d: winner %s, loser %s; ETags merged %s, loser %s%n", key,
                merged.version(), winner.dot(), loser.dot(), merged.etag(), loser.etag());

        assertThat(loser.etag()).isNotEqualTo(merged.etag());
        assertThatThrownBy(() -> us.put(key, Map.of("v", "stale"), WriteOptions.none().ifMatch(loser.etag())))
                .isInstanceOf(SiteWriterException.PreconditionFailed.class);
        WriteAck fresh = us.put(key, Map.of("v", "fresh"), WriteOptions.none().ifMatch(merged.etag()));
        assertThat(fresh.version()).isEqualTo(2);
    }
}
