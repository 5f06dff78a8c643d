package io.meridian.risk.options;

/** How an account's option and future positions on one underlying are margined; portfolio margin is opt-in. */
public enum OptionMarginMode {
    /** Per leg, no offsets: short options by the Deribit-style formula, futures by a percentage of notional. */
    STANDARD,
    /** The worst loss of the whole book over a stress grid of price and volatility moves, plus add-ons. */
    PORTFOLIO
}
