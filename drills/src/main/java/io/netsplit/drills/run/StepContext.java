package io.netsplit.drills.run;

import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.report.Timeline;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.Step;

import java.util.Locale;
import java.util.Map;

/**
 * What a {@link Step} can do while {@link DrillRunner} runs the load-and-faults phase: drive the
 * target, write (each acknowledged write joins the drill's history), mark link changes (the
 * convergence figures are measured from them), pause, await a condition, run a load in the
 * background, print its transcript line, and fail the drill with a verdict.
 */
public interface StepContext {

    Scenario scenario();

    /** The sites. Writes go through {@link #write}, link changes are followed by {@link #linkChanged}. */
    DrillTarget target();

    /** The drill's clock: milliseconds since the drill started. */
    long now();

    /** Prints a transcript line: {@code [  4.2s] fault    isolate ...}. */
    void say(String phase, String what);

    /** Adds an event to the drill's timeline (report.html), at {@link #now()}. */
    Timeline.Event event(String kind, String label);

    /** Waits on the drill's clock: for faults that need a duration, never for correctness. */
    void pause(long millis);

    /**
     * Writes through the site's writer and records the acknowledged write in the drill's history;
     * null when the writer refused it (counted, never expected anywhere). Safe from several threads.
     */
    AckedWrite write(String site, String key, Step.Op op, Map<String, Object> fields);

    /**
     * Records a fault on a link ({@code eventKind} {@code fault} or {@code degrade}) as a timeline event
     * {@code what (line N)}: a change the headline figure may be measured from.
     */
    void linkChanged(String eventKind, String what, int line);

    /** Records a heal as a timeline event {@code what (line N)}: a link change with a figure of its own. */
    void linkHealed(String what, int line);

    /** A step stopped the site's writer: awaits do not wait for its view until {@link #writerStarted}. */
    void writerStopped(String site);

    void writerStarted(String site);

    /** Runs a load alongside the steps after it; the next await and the final heal wait for it. */
    void inBackground(Runnable load);

    /** Waits for the background loads started so far; a failed one fails the drill. */
    void joinBackground();

    /**
     * Polls until the condition holds, within the scenario's {@code expect.within}; false when it did
     * not. Convergence seen is a timeline event labelled {@code convergedLabel}.
     */
    boolean await(Step.Condition condition, String phase, String convergedLabel);

    /** Adds a failed verdict to the drill's checks. */
    void fail(Verdict verdict);

    /** Every site's counts, digest and frontier, and the link lag, in one line: evidence for a failed wait. */
    String describeState();

    /** {@code 4.2 s}. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
