package io.netsplit.schemas.registry;

import java.util.List;
import java.util.Objects;

/**
 * The registry's answer to a compatibility test.
 *
 * @param compatible whether the schema could be registered under the subject
 * @param messages   the registry's explanations, verbatim (empty when it gave none)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    /** Copies {@code messages}. */
    public CompatibilityResult {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    }
}
