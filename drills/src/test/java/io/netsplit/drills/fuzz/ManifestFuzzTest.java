package io.netsplit.drills.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.drills.scenario.ManifestException;
import io.netsplit.drills.scenario.ScenarioParser;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomGenerator;

/**
 * Fuzz of scenario manifests: every shipped scenario, mutated ({@link ManifestMutation}), is either accepted by
 * {@link ScenarioParser} or refused with its one-line {@link ManifestException} naming the file; never another
 * exception. The seed is {@link FuzzSeed#SEED}.
 */
class ManifestFuzzTest {

    /**
     * The property's check, for the real parser and for a planted defect.
     *
     * @param parser parses (name, text), throwing on a bad manifest
     * @return what was wrong, if anything
     */
    static Optional<String> violation(BiConsumer<String, String> parser, ManifestMutation m) {
        String name = m.scenario();
        try {
            parser.accept(name, m.text());
            return Optional.empty();
        } catch (ManifestException e) {
            String msg = e.getMessage();
            if (msg == null || msg.isBlank() || msg.contains("\n") || msg.contains("\r")) {
                return Optional.of(m + ": not a one-line message: " + msg);
            }
            return msg.startsWith(name + ":") ? Optional.empty() : Optional.of(m + ": message does not name the file: " + msg);
        } catch (RuntimeException | StackOverflowError e) {
            return Optional.of(m + ": " + e);
        }
    }

    @Provide
    Arbitrary<ManifestMutation> mutations() {
        return ManifestMutation.mutations();
    }

    @Property(tries = 1000, seed = FuzzSeed.SEED)
    void aMutatedManifestIsAcceptedOrRefusedInOneLine(@ForAll("mutations") ManifestMutation m) {
        assertThat(violation(ScenarioParser::parse, m)).isEmpty();
    }

    /** A parser that assumes every manifest has an {@code expect:} block (an NPE otherwise) must fail the check. */
    @Example
    void theCheckFindsAParserThatThrowsANullPointerException() {
        BiConsumer<String, String> planted = (name, text) -> {
            if (!text.contains("\nexpect:")) {
                throw new NullPointerException("planted: no expect block");
            }
            ScenarioParser.parse(name, text);
        };
        RandomGenerator<ManifestMutation> generator = ManifestMutation.mutations().generator(1000);
        Random random = new Random(Long.parseLong(FuzzSeed.SEED));
        Optional<String> found = Optional.empty();
        for (int i = 0; i < 300 && found.isEmpty(); i++) {
            ManifestMutation m = generator.next(random).value();
            assertThat(violation(ScenarioParser::parse, m)).isEmpty();
            found = violation(planted, m);
        }
        assertThat(found).hasValueSatisfying(v -> assertThat(v).contains("NullPointerException: planted"));
    }
}
