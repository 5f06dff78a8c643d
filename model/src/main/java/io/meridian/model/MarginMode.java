package io.meridian.model;

/**
 * How a position is margined. {@link #CROSS}: the account's whole balance in the settlement asset backs all its cross
 * positions together. {@link #ISOLATED}: the position has its own margin, moved out of the cross balance when orders
 * need it; its losses can never reach beyond it. {@link #PORTFOLIO}: account-wide only ({@code SET_MARGIN_MODE} with
 * instrument -1), the account's options, and the futures priced from the same index, are margined together by the
 * worst loss over a stress grid instead of leg by leg (docs/options.md); CROSS with instrument -1 turns it off.
 */
public enum MarginMode {
    CROSS, ISOLATED, PORTFOLIO
}
