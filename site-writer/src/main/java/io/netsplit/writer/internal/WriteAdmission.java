package io.netsplit.writer.internal;

import java.util.Optional;

/** Whether the API admits writes right now: asked before each PUT, PATCH and DELETE (never for GET). */
@FunctionalInterface
public interface WriteAdmission {

    /** Admits every write: the writer without {@code writer.health.reject.when.diverged}. */
    WriteAdmission ALWAYS = Optional::empty;

    /** Empty when writes are admitted; else the one-line reason they are answered 503. */
    Optional<String> refusal();
}
