package io.netsplit.drills.scenario;

import io.netsplit.drills.run.StepContext;
import io.netsplit.lab.LabComponent;
import io.netsplit.reconcile.ReconcilerLabComponent;
import io.netsplit.writer.SiteWriterLabComponent;

/**
 * One step of a drill, immutable and validated by {@link ScenarioParser}. Every step carries the
 * manifest line it came from, so the transcript and errors can point at it.
 *
 * <p>Each kind is one record in {@code io.netsplit.drills.step} that holds its {@link StepKind}
 * (how a manifest writes it and how it is parsed) and executes itself against the runner; the kinds
 * a manifest may use are listed once, in {@code StepKinds.ALL}.
 */
public interface Step {

    /** The manifest line of this step. */
    int line();

    /** The step's kind as written in the manifest: {@code write}, {@code isolate}... */
    String kind();

    /** Runs the step during the drill's load-and-faults phase, printing its transcript line. */
    void execute(StepContext ctx);

    /** The write operations a step can ask the site-writer for. */
    enum Op { UPSERT, PATCH, DELETE }

    /** How a cut looks to the mirror: connections refused/reset, or bytes silently dropped. */
    enum CutStyle { REFUSE, BLACKHOLE }

    /** What {@code await} waits for. */
    enum Condition { REPLICATED, DRAINED, CONVERGED }

    /** The lab components drills can crash and restart; the registry is one for all sites (no site). */
    enum Component {
        BROKER(LabComponent.BROKER), MIRROR("mirror"), RECONCILER(ReconcilerLabComponent.NAME), WRITER(SiteWriterLabComponent.NAME),
        AUDIT("audit"),
        REGISTRY(LabComponent.REGISTRY, true);

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
}
