package io.meridian.model;

/** Kinds of instrument. Options are reserved here so that specs and wire formats need not change when they land. */
public enum InstrumentKind {
    PERPETUAL, DATED_FUTURE, OPTION
}
