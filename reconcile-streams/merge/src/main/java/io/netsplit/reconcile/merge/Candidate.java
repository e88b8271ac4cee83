package io.netsplit.reconcile.merge;

/**
 * One event as a decision names it: identity and causal position, with its fields summarised by
 * {@link Digests#fields} rather than copied.
 */
public record Candidate(Dot dot, String site, long version, VersionVector vector, Hlc hlc, Op op, String fieldsDigest) {

    public static Candidate of(Change c) {
        return new Candidate(c.dot(), c.site(), c.version(), c.vector(), c.hlc(), c.op(), Digests.fields(c.fields()));
    }
}
