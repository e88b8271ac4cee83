package io.netsplit.drills.cli;

import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.LabLocator;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --lab DIR} option every command that talks to running sites shares. */
public final class LabOption {

    @Option(names = "--lab", paramLabel = "DIR",
            description = "The lab (or external sites) to talk to: a directory with lab.json (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
    Path dir;

    public DescribedLab open() {
        return DescribedLab.open(LabLocator.resolve(dir).toAbsolutePath());
    }
}
