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
}
