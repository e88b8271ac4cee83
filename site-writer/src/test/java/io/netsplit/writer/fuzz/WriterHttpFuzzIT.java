package io.netsplit.writer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzz of the site-writer's HTTP API against a real writer process on a real broker (the lab's writer at us-east,
 * started by this class: jqwik properties get no JUnit extension, so the failsafe execution {@code fuzz} runs this
 * class in a JVM of its own, with its own lab). 1,000 generated requests, each checked by {@link HttpFuzz#violation}.
 * The seed is {@link FuzzSeed#SEED}.
 */
@Tag("integration")
class WriterHttpFuzzIT {

    private static EmbeddedLab lab;

    private static synchronized URI writer() {
        if (lab == null) {
            Map<String, String> props = new HashMap<>();
            System.getProperties().forEach((k, v) -> {
                if (k.toString().startsWith("lab.")) {
                    props.put(k.toString(), v.toString());
                }
            });
            props.putIfAbsent(LabConfig.DIR, Path.of(System.getProperty("user.dir"), "target", "lab-fuzz").toString());
            lab = EmbeddedLab.start(LabConfig.parse(props), new PrintStream(System.out, true));
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "lab-shutdown"));
        }
        return URI.create(lab.site("us-east").requireService("writer"));
    }

    @Provide
    Arbitrary<HttpFuzz.HttpCase> requests() {
        return HttpFuzz.cases();
    }

    @Property(tries = 1000, seed = FuzzSeed.SEED)
    void everyRequestIsAnswered2xx4xxOr503AndARefusalWritesNothing(@ForAll("requests") HttpFuzz.HttpCase c) throws IOException {
        assertThat(HttpFuzz.violation(writer(), c)).isEmpty();
    }

    @AfterContainer
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }
}
