package io.meridian.ledger;

/** Receives one account's balance of one asset; see {@link Ledger#forEachBalance}. */
@FunctionalInterface
public interface BalanceVisitor {

    /** {@code balance} minor units (never 0: zero balances are not stored) held by {@code account}. */
    void visit(long account, long balance);
}
