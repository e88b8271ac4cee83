package io.netsplit.drills.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link StepKind} parses: the step's manifest line, its body (the value under the kind's
 * key), the options written beside that key, and the scenario's sites, against which every site a
 * step names is checked.
 */
public record StepInput(int line, ManifestNode body, Map<String, ManifestNode> options, List<String> sites) {

    public StepInput {
        options = Map.copyOf(options);
        sites = List.copyOf(sites);
    }

    /** The body as a mapping whose keys are all in {@code allowed}. */
    public Map<String, ManifestNode> map(Set<String> allowed) {
        return body.map(allowed);
    }

    /** {@code args.get(key)}, an error at the body when it is missing. */
    public ManifestNode required(Map<String, ManifestNode> args, String key) {
        return body.required(args, key);
    }

    /** One of the scenario's sites. */
    public String site(ManifestNode n) {
        return n.site(sites);
    }

    /** At least {@code min} different sites of the scenario. */
    public List<String> siteList(ManifestNode n, int min) {
        return n.sites(sites, min);
    }

    /** The body as {@code [a, b]} or {@code {pair: [a, b], ...}} with the other keys from {@code allowed}. */
    public PairBody pairOrMap(Set<String> allowed) {
        if (body.isList()) {
            List<String> p = body.pair(sites);
            return new PairBody(body, p.get(0), p.get(1), Map.of());
        }
        Map<String, ManifestNode> a = body.map(allowed);
        List<String> p = body.required(a, "pair").pair(sites);
        return new PairBody(body, p.get(0), p.get(1), a);
    }

    /** A step on a pair of sites {@code a}, {@code b}, and its other keys. */
    public record PairBody(ManifestNode body, String a, String b, Map<String, ManifestNode> args) {

        public PairBody {
            args = Map.copyOf(args);
        }

        public ManifestNode required(String key) {
            return body.required(args, key);
        }
    }
}
