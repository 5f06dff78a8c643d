package io.meridian.model;

/** What happened to a resting order in the level-3 (order-by-order) feed. */
public enum L3Action {
    /** The order now rests in the book with the given price and visible quantity. */
    ADD,
    /** The resting order's visible quantity changed in place; it keeps its queue position. */
    MODIFY,
    /** The order left the book (filled, canceled, expired, or moved by an amend that is reported as REMOVE + ADD). */
    REMOVE
}
