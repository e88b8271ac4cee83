package io.netsplit.drills.run;

import io.netsplit.reconcile.client.ReconcilerClient;
import io.netsplit.reconcile.client.ReconcilerStatus;

/**
 * Reads a site reconciler's {@code GET /status} through reconcile-streams' {@link ReconcilerClient} and keeps what a
 * drill checks of it (see reconcile-streams/README.md).
 */
public final class ReconcilerHttp {

    private ReconcilerHttp() {
    }

    /** The site's status; a {@link ReconcilerClient.Unavailable} with one line naming the site and URL if it cannot be read. */
    public static DrillTarget.ReconcilerStatus status(String site, String baseUrl) {
        return of(site, new ReconcilerClient(site, baseUrl).status());
    }

    /** What a drill keeps of a reconciler's status. */
    static DrillTarget.ReconcilerStatus of(String site, ReconcilerStatus s) {
        return new DrillTarget.ReconcilerStatus(site, s.conflicts(), s.merged(), s.pending(), s.digest(), s.frontier(),
                s.inputLag(), s.policy(), s.policies(), s.siteOrder(), s.authority());
    }
}
