package io.meridian.model;

/**
 * Ledger account ids of the venue itself. User accounts are positive; system accounts are negative so the two can
 * never collide. Per asset, the balances of all accounts, these included, always sum to zero (double entry), and
 * the balances of all accounts except {@link #EXTERNAL} sum to deposits minus withdrawals.
 */
public final class SystemAccounts {
    /** The outside world: deposits come from it and withdrawals go to it. Its balance is minus the net deposits. */
    public static final long EXTERNAL = -1;
    /** Collects trading and other fees; pays maker rebates. */
    public static final long FEE_POOL = -2;
    /** Per settlement asset: receives liquidation fees, covers bad debt. */
    public static final long INSURANCE_FUND = -3;
    /**
     * The counterparty of realised PnL and funding: traders realise against it rather than against each other, so
     * a profit can be paid when it is realised even though the losing side has not closed yet.
     */
    public static final long CLEARING = -4;

    private SystemAccounts() {
    }

    public static boolean isSystem(long account) {
        return account < 0;
    }

    /** A short name for tools and events: "external", "fee-pool", "insurance-fund", "clearing", or the number. */
    public static String name(long account) {
        if (account == EXTERNAL) {
            return "external";
        }
        if (account == FEE_POOL) {
            return "fee-pool";
        }
        if (account == INSURANCE_FUND) {
            return "insurance-fund";
        }
        if (account == CLEARING) {
            return "clearing";
        }
        return Long.toString(account);
    }
}
