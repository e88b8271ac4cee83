package io.netsplit.drills.check;

import java.util.List;

/** A checker's verdict: passed or not, a one-line summary, and the evidence behind it. */
public record Verdict(String checker, boolean passed, String summary, List<String> evidence) {

    public Verdict {
        evidence = List.copyOf(evidence);
    }

    public static Verdict pass(String checker, String summary, List<String> evidence) {
        return new Verdict(checker, true, summary, evidence);
    }

    public static Verdict fail(String checker, String summary, List<String> evidence) {
        return new Verdict(checker, false, summary, evidence);
    }
}
