package io.meridian.model;

/** Kinds of instrument. An {@link #OPTION} carries its terms (index, strike, call or put) in an {@link OptionSpec}. */
public enum InstrumentKind {
    PERPETUAL, DATED_FUTURE, OPTION
}
