package io.netsplit.writer.internal;

import java.util.List;

/**
 * What a conditional write requires of the key's current state: {@code If-Match} with entity tags or {@code *},
 * {@code If-None-Match: *}. Tags are compared strongly (RFC 9110 §13.1.1): a weak tag never matches.
 */
public sealed interface Precondition {

    /** Whether the precondition holds for a key whose state has tag {@code etag} (null when the key is absent). */
    boolean holds(boolean exists, String etag);

    /** A canonical form, part of a request's fingerprint. */
    String canonical();

    /** {@code If-Match: *}: the entity exists. */
    record Exists() implements Precondition {
        @Override
        public boolean holds(boolean exists, String etag) {
            return exists;
        }

        @Override
        public String canonical() {
            return "if-match:*";
        }
    }

    /** {@code If-None-Match: *}: the entity does not exist (never written, or deleted). */
    record Absent() implements Precondition {
        @Override
        public boolean holds(boolean exists, String etag) {
            return !exists;
        }

        @Override
        public String canonical() {
            return "if-none-match:*";
        }
    }

    /** {@code If-Match: "t1", "t2"}: the key's current tag is one of these (strong tags only). */
    record Matches(List<String> tags) implements Precondition {
        public Matches {
            tags = List.copyOf(tags);
        }

        @Override
        public boolean holds(boolean exists, String etag) {
            return exists && tags.contains(etag);
        }

        @Override
        public String canonical() {
            return "if-match:" + String.join(",", tags);
        }
    }
}
