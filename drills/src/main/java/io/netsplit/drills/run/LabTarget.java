package io.netsplit.drills.run;

import io.netsplit.kit.Json;
import io.netsplit.audit.cli.AuditClient;
import io.netsplit.audit.RepairReport;
import io.netsplit.audit.VerifyReport;
import io.netsplit.audit.store.SiteAudit;
import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.check.SiteSnapshot;
import io.netsplit.drills.scenario.Step;
import io.netsplit.lab.Lab;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.lab.TopicReader;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import io.netsplit.mirror.LinkHealth;
import io.netsplit.mirror.LinkHealthClient;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.Candidate;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Topic;
import io.netsplit.schemas.Topics;
import io.netsplit.writer.SiteWriterClient;
import io.netsplit.writer.SiteWriterException;
import io.netsplit.writer.WriteAck;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link DrillTarget} over a running lab, or external sites described by a {@code lab.json}:
 * writes through each site's writer API, faults through the link driver, crashes through the
 * lab's control endpoint, reads through the reconcilers' HTTP API and the sites' topics.
 */
public class LabTarget implements DrillTarget {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Lab lab;
    private final Map<String, SiteWriterClient> writers = new LinkedHashMap<>();
    private final LinkControl links;
    private final LinkHealthClient health;
    private final Function<String, Replay> replayer;

    /**
     * @param replayer reprocesses a site from the beginning (the reconciler's replay), or null when
     *                 the target cannot replay
     */
    public LabTarget(Lab lab, Function<String, Replay> replayer) {
        this.lab = lab;
        for (SiteDescriptor s : lab.sites()) {
            writers.put(s.name(), new SiteWriterClient(s.requireService("writer"), null, Duration.ofSeconds(20)));
        }
        this.links = LinkControls.fromDescriptor(lab.descriptor());
        this.health = LinkHealthClient.fromDescriptor(lab.descriptor());
        this.replayer = replayer;
    }

    @Override
    public List<String> sites() {
        return lab.sites().stream().map(SiteDescriptor::name).toList();
    }

    @Override
    public AckedWrite write(String site, String key, Step.Op op, Map<String, Object> fields, long atMillis) throws WriteRefused {
        SiteWriterClient w = writers.get(site);
        try {
            WriteAck ack = switch (op) {
                case UPSERT -> w.put(key, fields);
                case PATCH -> w.patch(key, fields);
                case DELETE -> w.delete(key);
            };
            return new AckedWrite(site, key, op.name(), ack.dot().site(), ack.dot().counter(), ack.version(),
                    ack.vector().asMap(), atMillis);
        } catch (SiteWriterException.Unavailable e) {
            throw new WriteRefused(e.getMessage());
        }
    }

    private static CutStyle style(Step.CutStyle s) {
        return s == Step.CutStyle.BLACKHOLE ? CutStyle.BLACKHOLE : CutStyle.REFUSE;
    }

    @Override
    public void isolate(String a, String b, boolean oneWay, Step.CutStyle style) {
        if (oneWay) {
            links.cutOneWay(a, b, style(style));
        } else {
            links.isolate(a, b, style(style));
        }
    }

    @Override
    public void heal(String a, String b) {
        links.heal(a, b);
        links.clearFaults(a, b);
        links.clearFaults(b, a);
    }

    @Override
    public boolean healAll() {
        // the driver reports every link's faults, so one read before the reset tells whether it changes anything
        boolean changed = links.links().stream().anyMatch(l -> !l.isClear());
        links.reset();
        return changed;
    }

    @Override
    public void latency(String a, String b, Duration latency, Duration jitter) {
        links.latency(a, b, latency, jitter);
        links.latency(b, a, latency, jitter);
    }

    @Override
    public void bandwidth(String a, String b, long kilobytesPerSecond) {
        links.bandwidth(a, b, kilobytesPerSecond);
        links.bandwidth(b, a, kilobytesPerSecond);
    }

    @Override
    public void kill(Step.Component component, String site) {
        control(component.labName, site, "kill");
    }

    @Override
    public void restart(Step.Component component, String site) {
        control(component.labName, site, "restart");
    }

    private void control(String component, String site, String action) {
        String base = lab.descriptor().control();
        if (base == null) {
            throw new IllegalStateException("this lab has no control endpoint: cannot " + action + " " + component
                    + (site == null ? "" : "@" + site));
        }
        // the control endpoint names a shared process's site "-"
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/processes/" + component + "/"
                        + (site == null ? "-" : site) + "/" + action))
                .timeout(Duration.ofMinutes(3)).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(action + " " + component + (site == null ? "" : "@" + site) + " failed: HTTP "
                    + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public long loseAudit(String site, long from, long to) {
        String base = lab.site(site).requireService("audit");
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/audit/decisions?site=" + site + "&from=" + from + "&to=" + to))
                .timeout(Duration.ofSeconds(30)).DELETE().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("deleting audit records at " + site + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        try {
            return Json.mapper().readTree(r.body()).path("deleted").asLong();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from the audit sink at " + site + ": " + r.body(), e);
        }
    }

    @Override
    public Map<String, Long> linkLag() {
        Map<String, Long> lag = new LinkedHashMap<>();
        try {
            for (LinkHealth h : health.links()) {
                lag.put(h.id(), h.status() == io.netsplit.mirror.LinkStatus.CUT || h.lagRecords() == null ? -1L : h.lagRecords());
            }
        } catch (RuntimeException e) {
            lag.put("links", -1L);
        }
        return lag;
    }

    @Override
    public Optional<Map<String, Long>> writerVector(String site, String key) {
        return writers.get(site).get(key).map(v -> v.vector().asMap());
    }

    @Override
    public ReconcilerStatus status(String site) {
        return ReconcilerHttp.status(site, lab.site(site).requireService("reconciler"));
    }

    @Override
    public SiteSnapshot snapshot(String site) {
        SiteDescriptor s = lab.site(site);
        ReconcilerStatus st = status(site);
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", lab.registryUrl());
        Map<String, SiteSnapshot.Record> records = new HashMap<>();
        try (Topic<String, ConvergedRecord> converged = Topics.converged(serdeConfig)) {
            TopicReader.forEach(s.bootstrap(), converged.name(), converged.keySerde().deserializer(),
                    converged.valueSerde().deserializer(), Duration.ofSeconds(60),
                    r -> {
                        if (r.value() != null) {
                            records.put(r.key(), record(r.value()));
                        } else {
                            records.remove(r.key()); // a tombstone after the grace period: the key is gone
                        }
                    });
        }
        Set<String> candidates = new LinkedHashSet<>();
        List<String> decisionIds = new ArrayList<>();
        try (Topic<String, AuditEvent> audit = Topics.audit(serdeConfig)) {
            for (ConsumerRecord<String, AuditEvent> r : TopicReader.readAll(s.bootstrap(), audit.name(),
                    audit.keySerde().deserializer(), audit.valueSerde().deserializer(), Duration.ofSeconds(60))) {
                AuditEvent a = r.value();
                decisionIds.add(a.getDecisionId());
                for (Candidate c : a.getCandidates()) {
                    candidates.add(c.getDot().getSite() + ":" + c.getDot().getCounter());
                }
            }
        }
        long stored = 0;
        List<String> missing = new ArrayList<>();
        if (s.service("audit").isPresent()) {
            VerifyReport v = new AuditClient(site, s.requireService("audit")).verify(site);
            for (SiteAudit a : v.decidingSites()) {
                stored += a.stored();
                a.missing().forEach(m -> missing.add(m.toString()));
            }
        }
        return new SiteSnapshot(site, st.digest(), st.frontier(), st.conflicts(), st.merged(), st.pending(), records,
                candidates, stored, missing, decisionIds);
    }

    private static SiteSnapshot.Record record(ConvergedRecord c) {
        Map<String, Object> fields = new HashMap<>();
        c.getFields().forEach((k, v) -> fields.put(k.toString(), v instanceof CharSequence cs ? cs.toString() : v));
        Map<String, Long> vector = new HashMap<>();
        c.getVersionVector().forEach((k, v) -> vector.put(k.toString(), v));
        String winner = c.getWinner() == null ? null : c.getWinner().getDot().getSite() + ":" + c.getWinner().getDot().getCounter();
        return new SiteSnapshot.Record(c.getKey(), fields, c.getDeleted(), vector, c.getVersion(), winner,
                c.getConflictState().name());
    }

    @Override
    public Replay replay(String site) {
        if (replayer == null) {
            throw new IllegalStateException("this target cannot replay a site");
        }
        return replayer.apply(site);
    }

    @Override
    public String repairAudit(String site) {
        SiteDescriptor s = lab.site(site);
        if (s.service("audit").isEmpty()) {
            return "no audit sink";
        }
        RepairReport r = new AuditClient(site, s.requireService("audit")).repair(site);
        return r.decidingSites().isEmpty() ? "nothing missing" : r.decidingSites().stream()
                .map(d -> "restored " + d.restored() + " " + d.restoredRanges()
                        + (d.stillMissing().isEmpty() ? "" : ", still missing " + d.stillMissing()))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    @Override
    public void close() {
        try {
            links.close();
        } catch (Exception e) {
            // nothing held that outlives the drill
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
