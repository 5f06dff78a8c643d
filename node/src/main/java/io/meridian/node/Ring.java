package io.meridian.node;

import java.util.function.Supplier;

/**
 * A bounded ring of reusable, mutable slots, oldest overwritten first: the storage of the public history
 * ({@link TradeHistory}, {@link CandleHistory}). Slots are made while the ring fills and reused afterwards, so a
 * full ring takes new entries without allocating, and memory grows only with what was actually recorded.
 * Not thread-safe: its owner confines it to one thread (the engine thread).
 *
 * @param <T> the slot type
 */
public final class Ring<T> {
    private final Object[] slots;
    private final Supplier<T> factory;
    /** Index of the next slot to write. */
    private int next;
    private int size;

    public Ring(int capacity, Supplier<T> factory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.slots = new Object[capacity];
        this.factory = factory;
    }

    /** The slot for a new newest entry: a fresh one while the ring fills, then the oldest one (overwrite it all). */
    @SuppressWarnings("unchecked")
    public T add() {
        Object slot = slots[next];
        if (slot == null) {
            slot = factory.get();
            slots[next] = slot;
        }
        next = (next + 1) % slots.length;
        size = Math.min(size + 1, slots.length);
        return (T) slot;
    }

    /** The {@code age}-th newest entry: 0 is the newest, {@code size() - 1} the oldest. */
    @SuppressWarnings("unchecked")
    public T newest(int age) {
        if (age < 0 || age >= size) {
            throw new IndexOutOfBoundsException("age " + age + " of " + size);
        }
        return (T) slots[Math.floorMod(next - 1 - age, slots.length)];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return slots.length;
    }
}
