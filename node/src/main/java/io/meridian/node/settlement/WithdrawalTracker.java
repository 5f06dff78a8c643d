package io.meridian.node.settlement;

import io.meridian.settlement.BatchBuilder;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * Where each withdrawal is in settlement, for {@code GET /v1/withdrawals} ({@link SettlementLoop#withdrawal}): the
 * batches the node knows (those on disk at the start, those cut since), each with its withdrawal ids, whether all are
 * paid, and the payment transactions this node sent. A batch's withdrawals are the accepted ones after the previous
 * batch's last sequence up to its own ({@link BatchBuilder}), so the first known batch whose last sequence is at or after
 * a withdrawal's id is the one that holds it, if any does.
 *
 * <p><b>Bounds.</b> At most {@value #MAX_BATCHES} batches are indexed; past it the oldest fully paid ones are
 * forgotten with their transaction hashes (an unpaid batch is always kept: at most {@link SettlementLoop#MAX_UNCOMMITTED}
 * wait for the chain, and they are paid in order). A withdrawal older than every indexed batch was in one the node
 * no longer keeps, which it kept until every withdrawal of it was paid ({@link BatchStore}, "Retention"): paid.
 *
 * <p>Thread-safe: the replica thread adds batches, the processor records payments, I/O threads read.
 */
final class WithdrawalTracker {
    static final int MAX_BATCHES = 1_024;
    /** Stands for "paid, the transaction unknown" (a payment found already made, or one from before a restart). */
    private static final String UNKNOWN = "";

    /** One known batch; {@code paid} once all its withdrawals are. */
    private static final class Batch {
        final long batchId;
        final long[] withdrawalIds;
        volatile boolean paid;

        Batch(long batchId, long[] withdrawalIds, boolean paid) {
            this.batchId = batchId;
            this.withdrawalIds = withdrawalIds;
            this.paid = paid;
        }
    }

    /** By each batch's last sequence. */
    private final ConcurrentSkipListMap<Long, Batch> bySequence = new ConcurrentSkipListMap<>();
    private final Map<Long, Batch> byId = new ConcurrentHashMap<>();
    /** Payment transactions by withdrawal id ({@link #UNKNOWN}: paid, transaction unknown). */
    private final Map<Long, String> payments = new ConcurrentHashMap<>();
    /** Batches committed on chain (ids 1 .. this). */
    private final LongSupplier committed;

    WithdrawalTracker(LongSupplier committed) {
        this.committed = committed;
    }

    /** A batch cut (or read back at the start), with the payments known of it (withdrawal id to hash). */
    synchronized void add(long batchId, long lastSequence, List<BatchBuilder.Withdrawal> withdrawals, boolean paid,
                          Map<Long, String> known) {
        long[] ids = withdrawals.stream().mapToLong(BatchBuilder.Withdrawal::withdrawalId).sorted().toArray();
        Batch batch = new Batch(batchId, ids, paid);
        bySequence.put(lastSequence, batch);
        byId.put(batchId, batch);
        known.forEach((id, hash) -> payments.put(id, hash == null ? UNKNOWN : hash));
        while (bySequence.size() > MAX_BATCHES && bySequence.firstEntry().getValue().paid) {
            Batch oldest = bySequence.pollFirstEntry().getValue();
            byId.remove(oldest.batchId);
            for (long id : oldest.withdrawalIds) {
                payments.remove(id);
            }
        }
    }

    /** The withdrawal was paid, by {@code txHash} (null: found already paid, transaction unknown). */
    void paid(long withdrawalId, String txHash) {
        payments.merge(withdrawalId, txHash == null ? UNKNOWN : txHash, (old, now) -> now.isEmpty() ? old : now);
    }

    /** Every withdrawal of the batch is paid. */
    void batchPaid(long batchId) {
        Batch batch = byId.get(batchId);
        if (batch != null) {
            batch.paid = true;
        }
    }

    /** The payments this node sent of the batch's withdrawals (id to hash; unknown ones left out). */
    Map<Long, String> hashesOf(List<BatchBuilder.Withdrawal> withdrawals) {
        Map<Long, String> hashes = new LinkedHashMap<>();
        for (BatchBuilder.Withdrawal w : withdrawals) {
            String hash = payments.get(w.withdrawalId());
            if (hash != null && !hash.isEmpty()) {
                hashes.put(w.withdrawalId(), hash);
            }
        }
        return hashes;
    }

    /** The withdrawal's status, batch id and payment transaction ({@link io.meridian.node.SettlementView#withdrawal}). */
    Map<String, Object> status(long withdrawalId) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map.Entry<Long, Batch> holder = bySequence.ceilingEntry(withdrawalId);
        String status;
        Long batchId = null;
        String hash = payments.get(withdrawalId);
        if (holder == null) {
            status = "pending_batch";
        } else if (Arrays.binarySearch(holder.getValue().withdrawalIds, withdrawalId) >= 0) {
            Batch batch = holder.getValue();
            batchId = batch.batchId;
            status = hash != null || batch.paid ? "paid" : batch.batchId <= committed.getAsLong() ? "root_posted"
                    : "batched";
        } else if (holder.getKey().equals(bySequence.firstKey())) {
            status = "paid";
        } else {
            // Accepted between two known batches yet in neither: nothing on chain pays it (the gateway refuses such
            // withdrawals on a node that settles, so this is not expected).
            status = "not_settled";
        }
        m.put("status", status);
        m.put("batchId", batchId);
        m.put("txHash", hash == null || hash.isEmpty() ? null : hash);
        return m;
    }
}
