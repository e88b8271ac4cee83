package io.netsplit.mirror;

import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.mirror.internal.EmbeddedLinkControl;
import io.netsplit.mirror.internal.ToxiproxyLinkControl;

import java.util.List;

/**
 * Builds the {@link LinkControl} for a running lab (or external sites described alike) from the
 * {@code linkControl} section of {@code lab.json}:
 * <pre>
 *   "linkControl": {
 *     "driver": "toxiproxy" | "embedded",
 *     "url":    "http://127.0.0.1:PORT",      (Toxiproxy's REST API, or the embedded control API)
 *     "health": "http://127.0.0.1:PORT"       (the link health endpoint, see {@link LinkHealthClient})
 *   }
 * </pre>
 */
public final class LinkControls {

    /** {@code linkControl} key: the driver name. */
    public static final String DRIVER = "driver";
    /** {@code linkControl} key: the driver's control API base URL. */
    public static final String URL = "url";
    /** {@code linkControl} key: the link health endpoint's base URL. */
    public static final String HEALTH = "health";

    public static final String TOXIPROXY = "toxiproxy";
    public static final String EMBEDDED = "embedded";

    private LinkControls() {
    }

    /** The lab's link control; a clear error if the descriptor has none (links component not running). */
    public static LinkControl fromDescriptor(LabDescriptor descriptor) {
        String driver = descriptor.linkControl().get(DRIVER);
        String url = descriptor.linkControl().get(URL);
        if (driver == null || url == null) {
            throw new IllegalStateException("the lab descriptor has no link control (linkControl.driver/url); "
                    + "is the mirror module's links component on the lab's classpath?");
        }
        return of(driver, url, descriptor.links());
    }

    /** A driver by name, talking to {@code url}, for these links. */
    public static LinkControl of(String driver, String url, List<LinkDescriptor> links) {
        return switch (driver) {
            case TOXIPROXY -> new ToxiproxyLinkControl(url, links);
            case EMBEDDED -> new EmbeddedLinkControl(url);
            default -> throw new IllegalArgumentException("link driver '" + driver + "' is not one of toxiproxy, embedded");
        };
    }
}
