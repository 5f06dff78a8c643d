package io.meridian.model;

/**
 * What an order does when it reaches the book. Conditional types rest in the trigger book until their
 * trigger price is crossed, then enter the book as their {@link #triggeredType()}.
 */
public enum OrderType {
    LIMIT(false, true),
    MARKET(false, false),
    /** Buy: fires when the trigger price rises to the trigger; sell: when it falls to it. */
    STOP_MARKET(true, false),
    STOP_LIMIT(true, true),
    /** Buy: fires when the trigger price falls to the trigger; sell: when it rises to it. */
    TAKE_PROFIT_MARKET(true, false),
    TAKE_PROFIT_LIMIT(true, true);

    private static final OrderType[] VALUES = values();

    private final boolean conditional;
    private final boolean hasLimitPrice;

    OrderType(boolean conditional, boolean hasLimitPrice) {
        this.conditional = conditional;
        this.hasLimitPrice = hasLimitPrice;
    }

    public boolean isConditional() {
        return conditional;
    }

    public boolean hasLimitPrice() {
        return hasLimitPrice;
    }

    /** The type a conditional order becomes once triggered; plain types map to themselves. */
    public OrderType triggeredType() {
        return conditional ? (hasLimitPrice ? LIMIT : MARKET) : this;
    }

    /**
     * True when the order fires on a rising trigger price (buy stops, sell take-profits), false when it
     * fires on a falling one. Meaningless for plain orders.
     */
    public boolean firesOnRise(Side side) {
        boolean stop = this == STOP_MARKET || this == STOP_LIMIT;
        return stop == (side == Side.BUY);
    }

    public static OrderType ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
