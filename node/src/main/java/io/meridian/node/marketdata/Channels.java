package io.meridian.node.marketdata;

/**
 * The public channels of an instrument a WebSocket connection may subscribe to (docs/api.md, "WebSocket"), by number:
 * {@link #BOOK} (snapshot and deltas, and for compatibility the instrument's trades, marks, liquidations and other
 * public events), {@link #TRADES}, {@link #TICKER}, {@link #FUNDING} and {@link #LIQUIDATIONS}. The private
 * {@code account} channel is not one of them (it names an account, not an instrument).
 */
public final class Channels {
    public static final int BOOK = 0;
    public static final int TRADES = 1;
    public static final int TICKER = 2;
    public static final int FUNDING = 3;
    public static final int LIQUIDATIONS = 4;
    /** How many there are (channel numbers are 0 .. COUNT - 1). */
    public static final int COUNT = 5;

    private static final String[] NAMES = {"book", "trades", "ticker", "funding", "liquidations"};

    private Channels() {
    }

    /** The channel named {@code name}, or -1 when there is none of that name (case-sensitive). */
    public static int of(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public static String name(int channel) {
        return NAMES[channel];
    }

    /** One number for a channel of an instrument (the key of its stream). */
    static long key(int channel, int instrument) {
        return ((long) channel << 32) | (instrument & 0xffffffffL);
    }

    static int channelOf(long key) {
        return (int) (key >>> 32);
    }

    static int instrumentOf(long key) {
        return (int) key;
    }
}
