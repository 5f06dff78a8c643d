package io.meridian.ledger;

import io.meridian.model.AssetSpec;
import io.meridian.model.SystemAccounts;

/**
 * What queries read of the ledger: the read-only face of {@link Ledger}, which implements it, so that a query holds
 * the engine's ledger without the means to post to it and reading it copies nothing. It has no method that moves
 * value or registers an asset.
 *
 * <p><b>Thread confinement.</b> The view is the live ledger: read it on the engine thread, between commands (a gateway
 * through its engine thread's query slot). What it returns reflects the state after the last command.
 */
public interface LedgerView {

    /** The asset with this id, or null when none is registered (any int is accepted). */
    AssetSpec asset(int id);

    /**
     * The balance of {@code account} in {@code asset}, in minor units; 0 for an account that never held it and for
     * an unknown asset (a query is total). System accounts are negative ids ({@link SystemAccounts}).
     */
    long balance(long account, int asset);

    /** Minor units of {@code asset} deposited minus withdrawn, over the ledger's life; 0 for an unknown asset. */
    long netDeposits(int asset);

    /**
     * True when, for every asset, the balances of all accounts sum to zero (EXTERNAL + internal = 0) and the
     * internal sum equals the net deposits. O(assets), from the incremental totals; {@link #recomputeSums()} proves
     * those totals against the balances themselves.
     */
    boolean isConserved();

    /** A description of every conservation violation, or "conserved (n assets)"; allocates, for test messages. */
    String conservationReport();

    /**
     * The slow check behind the fast one: for every asset, sums the balances themselves (O(accounts)) and compares
     * them with the incremental totals and with conservation: sum over all accounts = 0, sum over all but EXTERNAL =
     * {@link Ledger#sumOfInternalAccounts} = {@link #netDeposits}, and no zero balance stored. Sums are exact
     * ({@link Math#addExact}). For tests and audits.
     *
     * @return null when everything agrees, else a description of each difference
     */
    String recomputeSums();
}
