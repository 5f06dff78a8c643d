package io.meridian.node.access;

import io.meridian.engine.Engine;
import io.meridian.model.Command;

import java.util.function.Supplier;

/**
 * Keeps an {@link AuthMirror} up to date from the engine loop: the loop hands in each command that names an address as
 * it submits it ({@link #submitted}), and when the engine reports the command complete ({@link #completed}, from the
 * command-completed event, before the command's answer is released) the mirror reads what the command changed. So a
 * client that has its answer (a deposit that opened its account, an agent approval) finds the gateway's pre-checks
 * already agreeing.
 *
 * <p>Engine thread only. Holds a copy of at most {@code capacity} in-flight commands, indexed by sequence, so it never
 * allocates after construction; the capacity must cover every command submitted and not yet applied (the engine loop's
 * pending window).
 */
public final class MirrorFeed {
    private final AuthMirror mirror;
    private final Supplier<Engine> engine;
    private final Command[] pending;
    private final boolean[] present;
    private final int mask;

    /**
     * @param engine   the engine the commands are applied to (asked only when a remembered command completes)
     * @param capacity a power of two, at least the number of commands in flight between submit and apply
     */
    public MirrorFeed(AuthMirror mirror, Supplier<Engine> engine, int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        this.mirror = mirror;
        this.engine = engine;
        this.pending = new Command[capacity];
        this.present = new boolean[capacity];
        this.mask = capacity - 1;
        for (int i = 0; i < capacity; i++) {
            pending[i] = new Command();
        }
    }

    /** Remembers a command that names an address, under the sequence it will be applied at; others are ignored. */
    public void submitted(long sequence, Command c) {
        int i = (int) (sequence & mask);
        if (c.address == null) {
            present[i] = false;
            return;
        }
        pending[i].copyFrom(c);
        present[i] = true;
    }

    /** The engine applied the command at {@code sequence}: the mirror takes what it changed. */
    public void completed(long sequence) {
        int i = (int) (sequence & mask);
        if (present[i]) {
            present[i] = false;
            mirror.afterCommand(engine.get(), pending[i]);
            pending[i].reset();
        }
    }
}
