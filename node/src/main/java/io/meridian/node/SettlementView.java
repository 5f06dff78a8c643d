package io.meridian.node;

import io.meridian.auth.Address;

import java.util.Map;

/**
 * What the gateway reads of the node's settlement loop (docs/api.md, "Settlement"): its status and the inclusion
 * proofs of the latest committed batch. Implementations are thread-safe and never touch the engine.
 */
public interface SettlementView {
    /** {@code GET /v1/settlement}: chain id, vault, the last batch, pending withdrawals, last credited deposit. */
    Map<String, Object> status();

    /**
     * {@code GET /v1/proof/{address}}: the latest committed batch's proofs of the address's balances, or null when the
     * address is in none of its statements (or no batch is committed yet).
     */
    Map<String, Object> proof(Address address);

    /**
     * Where the withdrawal whose id is {@code withdrawalId} (the journal sequence of its WITHDRAW) is in settlement:
     * {@code status} ({@code pending_batch}: accepted, in no batch cut yet; {@code batched}: in batch {@code batchId},
     * its root not posted yet; {@code root_posted}: the batch is committed on chain, the payment not confirmed yet;
     * {@code paid}: the vault paid it, {@code txHash} the payment's transaction when this node sent it and still knows
     * it, else null), {@code batchId} (null before a batch) and {@code txHash}. Thread-safe, never the engine.
     */
    Map<String, Object> withdrawal(long withdrawalId);
}
