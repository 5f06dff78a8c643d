package io.meridian.model;

/** Why value moved between two ledger accounts. Every posting names one, with the command sequence that caused it. */
public enum PostingType {
    /** From the outside world into an account. */
    DEPOSIT,
    /** From an account to the outside world. */
    WITHDRAWAL,
    /** Between two accounts of the same owner (sub-accounts) or between an account and its isolated margin. */
    TRANSFER,
    /** A taker or maker fee, from the trader to the fee pool. */
    TRADE_FEE,
    /** A negative maker fee, from the fee pool to the maker. */
    MAKER_REBATE,
    /** Profit or loss realised by reducing a position, between the trader and the clearing account. */
    REALIZED_PNL,
    /** Funding between longs and shorts, through the clearing account. */
    FUNDING,
    /** The liquidation fee, from the liquidated account to the insurance fund. */
    LIQUIDATION_FEE,
    /** The insurance fund covering a deficit. */
    INSURANCE_FUND_PAYOUT,
    /** A loss spread over profitable accounts when the insurance fund cannot cover it. */
    SOCIALIZED_LOSS,
    /** A deficit the insurance fund could not cover, paid from the venue's fee pool. */
    DEFICIT_COVERED_BY_VENUE,
    /**
     * The settlement value of an option position at expiry, between the holder and the clearing account: shorts pay
     * their intrinsic value in (rounded up), longs are paid theirs (rounded down); the rounding residue of the expiry
     * then moves from the clearing account to the fee pool.
     */
    OPTION_SETTLEMENT;

    private static final PostingType[] VALUES = values();

    public static PostingType ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
