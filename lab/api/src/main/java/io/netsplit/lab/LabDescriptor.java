package io.netsplit.lab;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsplit.kit.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code lab.json}: how commands and tests reach a running lab (or external sites
 * described the same way). {@code state} is {@code starting}, {@code ready}, {@code failed} or
 * {@code stopped}; {@code error} says what failed.
 */
public record LabDescriptor(
        int version,
        String state,
        String error,
        String runDir,
        String registry,
        String control,
        Long supervisorPid,
        List<SiteDescriptor> sites,
        List<LinkDescriptor> links,
        Map<String, String> linkControl,
        List<ProcessDescriptor> processes) {

    public static final String FILE_NAME = "lab.json";
    /** {@code lab.json} is a file people read: indented, and read past fields a newer lab adds ({@link Json#pretty()}). */
    private static final ObjectMapper JSON = Json.pretty();

    public LabDescriptor {
        sites = sites == null ? List.of() : List.copyOf(sites);
        links = links == null ? List.of() : List.copyOf(links);
        linkControl = linkControl == null ? Map.of() : Map.copyOf(linkControl);
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    /** One site by alias; a clear error if there is no such site. */
    public SiteDescriptor site(String name) {
        return findSite(sites, name);
    }

    static SiteDescriptor findSite(List<SiteDescriptor> sites, String name) {
        return sites.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new LabException("no site '" + name + "'; sites: "
                        + sites.stream().map(SiteDescriptor::name).toList()));
    }

    public LabDescriptor withState(String newState, String newError) {
        return new LabDescriptor(version, newState, newError, runDir, registry, control, supervisorPid, sites, links,
                linkControl, processes);
    }

    public LabDescriptor withProcesses(List<ProcessDescriptor> newProcesses) {
        return new LabDescriptor(version, state, error, runDir, registry, control, supervisorPid, sites, links,
                linkControl, new ArrayList<>(newProcesses));
    }

    /** Reads {@code dir/lab.json}; a one-line error if it is missing or unreadable. */
    public static LabDescriptor read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new LabException("no lab at " + dir + " (" + FILE_NAME + " not found); start one with 'netsplit lab up'");
        }
        try {
            return JSON.readValue(file.toFile(), LabDescriptor.class);
        } catch (IOException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes {@code dir/lab.json} atomically, so a reader never sees half a file. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "lab", ".json.tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
