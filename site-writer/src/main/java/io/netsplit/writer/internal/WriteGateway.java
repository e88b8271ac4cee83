package io.netsplit.writer.internal;

import java.util.concurrent.CompletableFuture;

/** What the HTTP API needs from the minting side: submit a write, and the state for {@code /health}. */
public interface WriteGateway {

    /** Queues a validated write; the future completes with its outcome (never exceptionally). */
    CompletableFuture<WriteOutcome> submit(WriteCommand command);

    MintingPipeline.State state();

    String stateReason();

    /** The highest dot counter minted or recovered. */
    long counter();
}
