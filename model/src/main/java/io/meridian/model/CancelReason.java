package io.meridian.model;

/** Why an order, or the remainder of one, left the book or the trigger book without filling. */
public enum CancelReason {
    /** The account asked for it (cancel by id or by client order id). */
    USER,
    /** Cancel-all for an account, optionally per instrument. */
    CANCEL_ALL,
    /** The unfilled remainder of an IOC or market order. */
    IMMEDIATE_OR_CANCEL,
    /** A market order hit its protection band before filling completely. */
    MARKET_PROTECTION,
    /** A market order found no more liquidity on the opposite side. */
    NO_LIQUIDITY,
    /** Self-trade prevention removed this order. */
    SELF_TRADE,
    /** A reduce-only order would have increased, or could no longer reduce, the position. */
    REDUCE_ONLY,
    /** A fill-or-kill order that was triggered could not be filled completely. */
    FILL_OR_KILL
}
