package io.meridian.model;

/**
 * What happens when a taker would trade with a resting order of the same account. The taker's mode decides.
 * <ul>
 * <li>{@link #NONE}: the trade happens (allowed for venues that permit wash trades between own orders).</li>
 * <li>{@link #EXPIRE_MAKER}: the resting order is canceled, matching continues.</li>
 * <li>{@link #EXPIRE_TAKER}: the taker's remainder is canceled, the resting order stays.</li>
 * <li>{@link #EXPIRE_BOTH}: both are canceled.</li>
 * <li>{@link #DECREMENT}: both are reduced by the smaller of the two quantities without a trade; the one that
 * reaches zero is canceled.</li>
 * </ul>
 */
public enum SelfTradePrevention {
    NONE, EXPIRE_MAKER, EXPIRE_TAKER, EXPIRE_BOTH, DECREMENT;

    private static final SelfTradePrevention[] VALUES = values();

    public static SelfTradePrevention ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
