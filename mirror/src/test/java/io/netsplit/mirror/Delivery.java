package io.netsplit.mirror;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What arrived at a remote site compared with what was acknowledged at the source. */
record Delivery(int acknowledged, int received, Set<Long> missing, int duplicates, boolean inOrder) {

    static Delivery of(List<Long> acked, List<String> receivedValues) {
        List<Long> received = receivedValues.stream().map(Long::parseLong).toList();
        Set<Long> firstSeen = new LinkedHashSet<>(received);
        Set<Long> missing = new TreeSet<>(acked);
        missing.removeAll(firstSeen);
        List<Long> order = new ArrayList<>(firstSeen);
        boolean inOrder = true;
        for (int i = 1; i < order.size(); i++) {
            if (order.get(i) < order.get(i - 1)) {
                inOrder = false;
                break;
            }
        }
        return new Delivery(acked.size(), received.size(), missing, received.size() - firstSeen.size(), inOrder);
    }
}
