package io.netsplit.lab;

import java.nio.file.Path;
import java.util.List;

/** A lab known only by its {@code lab.json}: one started elsewhere, or external sites described alike. */
public final class DescribedLab implements Lab {

    private final Path dir;
    private final LabDescriptor descriptor;

    private DescribedLab(Path dir, LabDescriptor descriptor) {
        this.dir = dir;
        this.descriptor = descriptor;
    }

    /** Reads {@code dir/lab.json}; fails with one line if it is missing or the lab is not ready. */
    public static DescribedLab open(Path dir) {
        LabDescriptor d = LabDescriptor.read(dir);
        if (!"ready".equals(d.state())) {
            throw new LabException("the lab at " + dir + " is " + d.state()
                    + (d.error() == null ? "" : " (" + d.error() + ")"));
        }
        return new DescribedLab(dir, d);
    }

    @Override
    public String registryUrl() {
        return descriptor.registry();
    }

    @Override
    public List<SiteDescriptor> sites() {
        return descriptor.sites();
    }

    @Override
    public Path runDir() {
        return dir;
    }

    @Override
    public LabDescriptor descriptor() {
        return descriptor;
    }
}
