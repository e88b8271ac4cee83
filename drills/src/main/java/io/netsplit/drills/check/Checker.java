package io.netsplit.drills.check;

import java.util.function.Function;

/**
 * One check a drill runs after its final reads: it takes what the drill recorded and read (a
 * {@link CheckContext}) and returns a {@link Verdict} with evidence, named {@link #name()}. Which
 * checkers a drill runs, and in which order, is {@link Checkers#chosenFor}.
 */
public interface Checker {

    /** The checker's name, as the transcript, the report and {@link Verdict#checker()} show it. */
    String name();

    Verdict check(CheckContext ctx);

    /** A checker named {@code name} that applies {@code check}. */
    static Checker of(String name, Function<CheckContext, Verdict> check) {
        return new Checker() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Verdict check(CheckContext ctx) {
                return check.apply(ctx);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
