package io.netsplit.writer.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Idempotency-Keys of committed writes, each remembered for a window after its write's wall-clock time and at
 * most {@code maxKeys} of them (oldest forgotten first). Filled by committed writes and, at start-up, from the
 * changes topic, so the window survives restarts. Confined to the minting thread.
 */
final class IdempotencyWindow {

    private final long windowMillis;
    private final int maxKeys;
    private final LinkedHashMap<String, WriteReceipt> receipts = new LinkedHashMap<>();

    IdempotencyWindow(Duration window, int maxKeys) {
        this.windowMillis = window.toMillis();
        this.maxKeys = maxKeys;
    }

    /** The receipt of the write made with {@code idempotencyKey} within the window, or null. */
    WriteReceipt find(String idempotencyKey, long nowMillis) {
        WriteReceipt r = receipts.get(idempotencyKey);
        if (r == null || r.wallClockMillis() < nowMillis - windowMillis) {
            return null;
        }
        return r;
    }

    /** Remembers a committed write; the first write with a key wins (a replayed log never overwrites it). */
    void remember(WriteReceipt receipt, long nowMillis) {
        if (receipt.idempotencyKey() == null) {
            return;
        }
        receipts.putIfAbsent(receipt.idempotencyKey(), receipt);
        evict(nowMillis);
    }

    int size() {
        return receipts.size();
    }

    private void evict(long nowMillis) {
        Iterator<Map.Entry<String, WriteReceipt>> it = receipts.entrySet().iterator();
        while (it.hasNext()) {
            WriteReceipt oldest = it.next().getValue();
            if (receipts.size() > maxKeys || oldest.wallClockMillis() < nowMillis - windowMillis) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
