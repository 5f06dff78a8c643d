package io.meridian.benchmarks;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

/**
 * A benchmark's command stream as a live node feeds it: each command is decoded from a compact record (one cache line,
 * {@value #STRIDE} longs in one array, read in order) into one reused {@link Command}, as a sequencer's ring hands the
 * engine a few hot slots. Replaying an array of {@code Command} objects instead streams about 330 bytes per command
 * from memory (the class carries every command type's fields), which on a 3M-command run is a gigabyte per run and
 * was about 40% of the measured time of the matching benchmark: the harness, not the book.
 *
 * <p>Encodes place, cancel, amend and cancel-all commands with the fields the order path reads (see {@link #encodable});
 * a stream with any other command, or an order with a trigger, iceberg, expiry or client order text, keeps the
 * objects and hands them out as they are, so every stream replays exactly what it was given. Decoding touches no
 * other memory and allocates nothing.
 */
public final class CommandStream {
    static final int STRIDE = 8;
    private static final CommandType[] TYPES = CommandType.values();
    private static final Side[] SIDES = Side.values();
    private static final OrderType[] ORDER_TYPES = OrderType.values();
    private static final TimeInForce[] TIFS = TimeInForce.values();
    private static final PostOnly[] POST_ONLY = PostOnly.values();
    private static final SelfTradePrevention[] STP = SelfTradePrevention.values();
    private static final TriggerSource[] TRIGGER_SOURCES = TriggerSource.values();

    static {
        // The record's first long: type (7 bits), reduce-only (1), then six enums as ordinal + 1 in four bits each,
        // then the instrument in the upper 32.
        if (TYPES.length > 0x7F) {
            throw new IllegalStateException("CommandType has outgrown seven bits");
        }
    }

    private final Command[] objects;
    private final long[] records;
    private final int size;
    private final Command slot = new Command();

    private CommandStream(Command[] objects, long[] records, int size) {
        this.objects = objects;
        this.records = records;
        this.size = size;
    }

    /** The stream of these commands: compact when every one is {@link #encodable}, else the objects themselves. */
    public static CommandStream of(Command[] commands) {
        for (Command c : commands) {
            if (!encodable(c)) {
                return new CommandStream(commands, null, commands.length);
            }
        }
        long[] records = new long[commands.length * STRIDE];
        for (int i = 0; i < commands.length; i++) {
            encode(commands[i], records, i * STRIDE);
        }
        return new CommandStream(null, records, commands.length);
    }

    /**
     * A place, cancel, amend or cancel-all whose fields outside the compact record are at their defaults: no
     * trigger price, display quantity, expiry or client order text (the fields no other command type of these four
     * reads are ignored by the engine and the book).
     */
    static boolean encodable(Command c) {
        CommandType t = c.type;
        boolean order = t == CommandType.PLACE_ORDER || t == CommandType.CANCEL_ORDER || t == CommandType.AMEND_ORDER
                || t == CommandType.CANCEL_ALL;
        return order && c.triggerPrice == 0 && c.displayQuantity == 0 && c.expireAt == 0 && c.clientOrderText == null;
    }

    public int size() {
        return size;
    }

    public boolean compact() {
        return records != null;
    }

    /**
     * Command {@code i}: decoded into this stream's one reused command (valid until the next call), or the object
     * itself when the stream is not compact.
     */
    public Command get(int i) {
        if (records == null) {
            return objects[i];
        }
        long[] r = records;
        int at = i * STRIDE;
        long header = r[at];
        Command c = slot;
        c.type = TYPES[(int) (header & 0x7F)];
        c.side = enumOrNull(SIDES, header >>> 8);
        c.orderType = enumOrNull(ORDER_TYPES, header >>> 12);
        c.timeInForce = enumOrNull(TIFS, header >>> 16);
        c.postOnly = enumOrNull(POST_ONLY, header >>> 20);
        c.selfTradePrevention = enumOrNull(STP, header >>> 24);
        c.triggerSource = enumOrNull(TRIGGER_SOURCES, header >>> 28);
        c.reduceOnly = (header & 0x80) != 0;
        c.instrument = (int) (header >> 32);
        c.account = r[at + 1];
        c.orderId = r[at + 2];
        c.price = r[at + 3];
        c.quantity = r[at + 4];
        c.sequence = r[at + 5];
        c.timestamp = r[at + 6];
        c.clientOrderId = r[at + 7];
        return c;
    }

    /** Command {@code i}'s instrument, without decoding it (so the reused command of {@link #get} is untouched). */
    public int instrumentAt(int i) {
        return records == null ? objects[i].instrument : (int) (records[i * STRIDE] >> 32);
    }

    /** Command {@code i}'s order id (0 for a command without one), without decoding it. */
    public long orderIdAt(int i) {
        return records == null ? objects[i].orderId : records[i * STRIDE + 2];
    }

    /** Re-stamps command {@code i}'s sequence and timestamp (the objects' too, when not compact). */
    void stamp(int i, long sequence, long timestamp) {
        if (records == null) {
            return;
        }
        records[i * STRIDE + 5] = sequence;
        records[i * STRIDE + 6] = timestamp;
    }

    private static void encode(Command c, long[] r, int at) {
        r[at] = c.type.ordinal() | ordinalOrZero(c.side) << 8 | ordinalOrZero(c.orderType) << 12
                | ordinalOrZero(c.timeInForce) << 16 | ordinalOrZero(c.postOnly) << 20
                | ordinalOrZero(c.selfTradePrevention) << 24 | ordinalOrZero(c.triggerSource) << 28
                | (c.reduceOnly ? 0x80L : 0L) | (long) c.instrument << 32;
        r[at + 1] = c.account;
        r[at + 2] = c.orderId;
        r[at + 3] = c.price;
        r[at + 4] = c.quantity;
        r[at + 5] = c.sequence;
        r[at + 6] = c.timestamp;
        r[at + 7] = c.clientOrderId;
    }

    /** 0 for null, else ordinal + 1, in four bits: every order enum here has fewer than 15 constants. */
    private static long ordinalOrZero(Enum<?> e) {
        if (e == null) {
            return 0;
        }
        if (e.ordinal() >= 15) {
            throw new IllegalStateException(e.getDeclaringClass().getSimpleName() + " has outgrown four bits");
        }
        return e.ordinal() + 1;
    }

    private static <E> E enumOrNull(E[] values, long bits) {
        int code = (int) (bits & 0xF);
        return code == 0 ? null : values[code - 1];
    }
}
