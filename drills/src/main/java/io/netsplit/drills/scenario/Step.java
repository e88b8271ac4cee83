package io.netsplit.drills.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a drill, immutable and validated by {@link ScenarioParser}. Every step carries the
 * manifest line it came from, so the transcript and errors can point at it.
 */
public sealed interface Step {

    /** The manifest line of this step. */
    int line();

    /** The step's kind as written in the manifest: {@code write}, {@code isolate}... */
    String kind();

    /** The write operations a step can ask the site-writer for. */
    enum Op { UPSERT, PATCH, DELETE }

    /** How a cut looks to the mirror: connections refused/reset, or bytes silently dropped. */
    enum CutStyle { REFUSE, BLACKHOLE }

    /** What {@code await} waits for. */
    enum Condition { REPLICATED, DRAINED, CONVERGED }

    /** The lab components drills can crash and restart; the registry is one for all sites (no site). */
    enum Component {
        BROKER("broker"), MIRROR("mirror"), RECONCILER("reconciler"), WRITER("writer"), AUDIT("audit"),
        REGISTRY("registry", true);

        public final String labName;
        /** One process shared by every site: a step names no site. */
        public final boolean shared;

        Component(String labName) {
            this(labName, false);
        }

        Component(String labName, boolean shared) {
            this.labName = labName;
            this.shared = shared;
        }

        /** {@code writer@us-east}, or {@code registry} for a shared component. */
        public String at(String site) {
            return site == null ? labName : labName + "@" + site;
        }
    }

    /** A write through the site-writer API, {@code repeat} times in a row. */
    record Write(int line, String site, String key, Op op, Map<String, Object> fields, int repeat) implements Step {
        public String kind() {
            return "write";
        }
    }

    /**
     * Seeded load: {@code count} writes over {@code keys} keys named {@code <prefix><n>}, spread over
     * {@code sites}; a {@code hotKeys} fraction of the keys receives {@code hotWeight} of the writes;
     * with probability {@code conflictRate} a write is mirrored by a concurrent write to the same key
     * at another site (conflicts only arise where the link is cut). A {@code background} load runs
     * while the following steps execute; the runner waits for it before the next {@code await} and
     * before the final heal.
     */
    record Generate(int line, int count, int keys, String keyPrefix, double hotKeys, double hotWeight,
                    double conflictRate, List<String> sites, boolean background) implements Step {
        public String kind() {
            return "generate";
        }
    }

    /** Cuts a pair of sites: both directions, or only {@code a → b} when one-way. */
    record Isolate(int line, String a, String b, boolean oneWay, CutStyle style) implements Step {
        public String kind() {
            return "isolate";
        }
    }

    /** Restores both directions between a pair and removes their toxics. */
    record Heal(int line, String a, String b) implements Step {
        public String kind() {
            return "heal";
        }
    }

    /** Isolates and heals a pair {@code times} times, {@code period} per cycle. */
    record Flap(int line, String a, String b, int times, Duration period) implements Step {
        public String kind() {
            return "flap";
        }
    }

    /** Adds latency (with jitter) to both directions between a pair. */
    record Latency(int line, String a, String b, Duration latency, Duration jitter) implements Step {
        public String kind() {
            return "latency";
        }
    }

    /** Limits the bandwidth of both directions between a pair, in KB/s. */
    record Bandwidth(int line, String a, String b, long kilobytesPerSecond) implements Step {
        public String kind() {
            return "bandwidth";
        }
    }

    /** Waits a fixed time: for faults that need a duration, never for correctness. */
    record Wait(int line, Duration duration) implements Step {
        public String kind() {
            return "wait";
        }
    }

    /** Kills (SIGKILL) a component at a site ({@code site} null for a shared component). */
    record Kill(int line, Component component, String site) implements Step {
        public String kind() {
            return "kill";
        }
    }

    /** Starts a component at a site again and waits until it is ready ({@code site} null for a shared one). */
    record Restart(int line, Component component, String site) implements Step {
        public String kind() {
            return "restart";
        }
    }

    /** Deletes audit records with sequence numbers {@code from..to} from a site's audit store. */
    record LoseAudit(int line, String site, long from, long to) implements Step {
        public String kind() {
            return "lose-audit";
        }
    }

    /** Waits, within the scenario's SLO, until the condition holds. */
    record Await(int line, Condition condition) implements Step {
        public String kind() {
            return "await";
        }
    }
}
