package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.VersionVector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entity tag of a key's state: its Lamport version and a digest of its version vector, {@code 8-1f3a…}. The
 * vector names every event the state was built from, so two states at the same version made of different events
 * (two sites that both minted v8, or a merge of both) have different tags: a client holding a tag from before a
 * merge gets 412, not a lost update. The tag is the same wherever it is computed from the same version and vector
 * (a write's acknowledgement, the writer's view, a GET of the converged record).
 */
public final class ETags {

    private static final HexFormat HEX = HexFormat.of();

    private ETags() {
    }

    /** The tag's value, without the quotes HTTP puts around it. */
    public static String of(long version, VersionVector vector) {
        return of(version, vector.asMap());
    }

    /** The tag of a converged record's version and vector (site → counter). */
    public static String of(long version, Map<String, Long> vector) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(vector).forEach((site, counter) -> {
            if (counter > 0) {
                canonical.append(site).append('=').append(counter).append(';');
            }
        });
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] digest = sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return version + "-" + HEX.formatHex(digest, 0, 8);
    }

    /** The header form: the tag in double quotes. */
    public static String header(String tag) {
        return "\"" + tag + "\"";
    }
}
