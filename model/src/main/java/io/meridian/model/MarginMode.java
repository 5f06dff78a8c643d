package io.meridian.model;

/**
 * How a position is margined. {@link #CROSS}: the account's whole balance in the settlement asset backs all its cross
 * positions together. {@link #ISOLATED}: the position has its own margin, moved out of the cross balance when orders
 * need it; its losses can never reach beyond it.
 */
public enum MarginMode {
    CROSS, ISOLATED
}
