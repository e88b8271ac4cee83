package io.netsplit.mirror.internal;

import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.apache.kafka.connect.mirror.MirrorMakerConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The MM2 process of one target site: Kafka's own {@link MirrorMaker} in dedicated mode
 * ({@code --clusters <target>}), plus a loopback status endpoint and a bounded shutdown.
 * <ul>
 *   <li>{@code GET /ready} — 200 once MirrorMaker has started its herders;</li>
 *   <li>{@code GET /status} — per flow {@code source->target}: the MirrorSourceConnector's state
 *       and its tasks' states; {@code running} is true when every flow has all tasks RUNNING.</li>
 * </ul>
 * On SIGTERM MirrorMaker stops itself; when its brokers are gone it can hang for minutes, so after
 * the grace period this process halts.
 *
 * <p>Usage: {@code MirrorProcess <mm2.properties> --clusters <target> --status-port P [--grace-ms N]}.
 */
public final class MirrorProcess {

    private static final Logger log = LoggerFactory.getLogger(MirrorProcess.class);

    private MirrorProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: MirrorProcess <mm2.properties> --clusters <target> --status-port P");
        }
        Path propsFile = Path.of(args[0]);
        String target = null;
        int port = 0;
        long graceMs = 5000;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--clusters" -> target = args[++i];
                case "--status-port" -> port = Integer.parseInt(args[++i]);
                case "--grace-ms" -> graceMs = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("--clusters <target> is required");
        }
        Map<String, String> props = Utils.propsToStringMap(Utils.loadProps(propsFile.toString()));
        MirrorMakerConfig config = new MirrorMakerConfig(props);
        List<SourceAndTarget> flows = new ArrayList<>();
        for (SourceAndTarget st : config.clusterPairs()) {
            if (st.target().equals(target) && Boolean.parseBoolean(props.get(st.source() + "->" + st.target() + ".enabled"))) {
                flows.add(st);
            }
        }
        String site = target;
        MirrorMaker mirrorMaker = new MirrorMaker(config, List.of(site), Time.SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        long grace = graceMs;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (!stopped.await(grace, TimeUnit.MILLISECONDS)) {
                    System.err.println("MirrorMaker did not stop within " + grace + " ms; halting");
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Runtime.getRuntime().halt(0);
            }
        }, "mirror-halt-guard"));

        boolean[] started = {false};
        JsonHttpServer http = HttpEndpoints.loopback(port, "mirror-status")
                .get("/ready", r -> Response.json(started[0] ? 200 : 503, Map.of("started", started[0])))
                .get("/status", r -> Response.ok(status(mirrorMaker, site, flows, started[0])))
                .build().start();

        mirrorMaker.start();
        started[0] = true;
        log.info("MirrorMaker for target {} started with flows {}", site, flows);
        mirrorMaker.awaitStop();
        stopped.countDown();
        http.close();
    }

    private static Map<String, Object> status(MirrorMaker mm, String target, List<SourceAndTarget> flows, boolean started) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", target);
        out.put("started", started);
        List<Map<String, Object>> list = new ArrayList<>();
        boolean allRunning = started;
        for (SourceAndTarget st : flows) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("source", st.source());
            f.put("target", st.target());
            boolean running = false;
            try {
                ConnectorStateInfo info = started ? mm.connectorStatus(st, MirrorSourceConnector.class.getSimpleName()) : null;
                if (info != null) {
                    f.put("connector", info.connector().state());
                    List<String> tasks = info.tasks().stream().map(ConnectorStateInfo.AbstractState::state).toList();
                    f.put("tasks", tasks);
                    running = "RUNNING".equals(info.connector().state()) && !tasks.isEmpty()
                            && tasks.stream().allMatch("RUNNING"::equals);
                }
            } catch (RuntimeException e) {
                f.put("error", String.valueOf(e.getMessage()));
            }
            f.put("running", running);
            allRunning &= running;
            list.add(f);
        }
        out.put("flows", list);
        out.put("running", allRunning);
        return out;
    }
}
