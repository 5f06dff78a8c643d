package io.meridian.model;

/** Which side of a trade an order was on: the resting maker or the incoming taker. */
public enum Liquidity {
    MAKER, TAKER
}
