package io.meridian.cluster;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded ring of variable-length messages in one fixed buffer, for {@link CommandFeed}: appends drop the oldest
 * messages to make room; a message is found again by the absolute position {@link #append} returned, as long as it is
 * still held ({@link #holds}). A message never straddles the buffer's end: one that does not fit there starts at the
 * buffer's beginning, and the end is marked skipped.
 *
 * <p>Layout: each message is a length (int, little-endian) and its bytes; a length of -1, or fewer than 4 bytes left
 * before the end, means "continue at the beginning". Positions grow without bound (longs); the index in the buffer is
 * the position modulo the capacity. Single-threaded; allocates nothing after construction. (Agrona's
 * {@code ExpandableRingBuffer} was used first: at its maximum capacity, full, it wrote a message past the buffer's
 * end.)
 */
final class FeedRing {
    private static final int LENGTH_BYTES = Integer.BYTES;
    private static final int SKIP = -1;

    private final UnsafeBuffer buffer;
    private final int capacity;
    /** Position of the oldest message held. */
    private long head;
    /** Position where the next message goes. */
    private long tail;
    private int count;

    /** Receives messages by {@link #forEach}; returns false to stop. */
    interface Reader {
        boolean onMessage(DirectBuffer buffer, int offset, int length);
    }

    FeedRing(int capacity) {
        if (capacity < 1024) {
            throw new IllegalArgumentException("ring capacity " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new UnsafeBuffer(new byte[capacity]);
    }

    /** The largest message the ring can hold. */
    int maxMessageLength() {
        return capacity / 2 - LENGTH_BYTES;
    }

    /**
     * Appends a message, dropping the oldest ones (each handed to {@code dropped} first) until it fits; returns its
     * position. Refuses a message longer than {@link #maxMessageLength}.
     */
    long append(DirectBuffer source, int offset, int length, Reader dropped) {
        if (length < 0 || length > maxMessageLength()) {
            throw new IllegalArgumentException("message of " + length + " bytes, ring of " + capacity);
        }
        int record = LENGTH_BYTES + length;
        long at = tail;
        int index = index(at);
        if (capacity - index < record) {
            // No room before the end: mark it skipped and start at the beginning.
            at += capacity - index;
        }
        while (at + record - head > capacity) {
            dropOldest(dropped);
        }
        if (at != tail && capacity - index(tail) >= LENGTH_BYTES) {
            buffer.putInt(index(tail), SKIP, ClusterProtocol.ORDER);
        }
        int start = index(at);
        buffer.putInt(start, length, ClusterProtocol.ORDER);
        buffer.putBytes(start + LENGTH_BYTES, source, offset, length);
        tail = at + record;
        count++;
        return at;
    }

    private void dropOldest(Reader dropped) {
        head = skipToMessage(head);
        int index = index(head);
        int length = buffer.getInt(index, ClusterProtocol.ORDER);
        dropped.onMessage(buffer, index + LENGTH_BYTES, length);
        head += LENGTH_BYTES + length;
        count--;
        if (count == 0) {
            head = tail;
        }
    }

    /** The position itself, or the buffer's next beginning when the end is skipped there. */
    private long skipToMessage(long position) {
        int index = index(position);
        if (capacity - index < LENGTH_BYTES || buffer.getInt(index, ClusterProtocol.ORDER) == SKIP) {
            return position + (capacity - index);
        }
        return position;
    }

    /** True when the message appended at {@code position} is still held. */
    boolean holds(long position) {
        return position >= head && position < tail;
    }

    /**
     * Hands messages from the one at {@code position} (which must be held) on, at most {@code limit}, until the reader
     * returns false or the newest was read; returns how many it handed.
     */
    int forEach(long position, Reader reader, int limit) {
        long at = position;
        int read = 0;
        while (read < limit && at < tail) {
            at = skipToMessage(at);
            if (at >= tail) {
                break;
            }
            int index = index(at);
            int length = buffer.getInt(index, ClusterProtocol.ORDER);
            read++;
            if (!reader.onMessage(buffer, index + LENGTH_BYTES, length)) {
                break;
            }
            at += LENGTH_BYTES + length;
        }
        return read;
    }

    int size() {
        return count;
    }

    private int index(long position) {
        return (int) (position % capacity);
    }
}
