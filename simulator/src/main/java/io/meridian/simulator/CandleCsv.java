package io.meridian.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a candle file: the header {@code ts_ms,open,high,low,close,volume}, then one candle per line, {@code ts_ms}
 * the candle's open time in UTC epoch milliseconds, strictly ascending, prices and volume as plain decimals. Blank
 * lines are refused like any malformed line; a trailing newline is fine; {@code \r\n} line ends are accepted.
 *
 * <p>Every input is bounded before it is read (a hostile or broken file must cost an error, not the machine): at most
 * {@value #MAX_LINE_BYTES} bytes per line (a longer line is refused as soon as the bound is passed, without reading
 * the rest), {@value #MAX_ROWS} candles, numbers of at most {@value #MAX_NUMBER_CHARS} characters, prices above 0 and
 * below {@value #MAX_PRICE}, timestamps between 1970 and 2200. Each candle must be consistent: {@code low <= open,
 * close <= high}, volume not negative. Gaps between candles are allowed (the path is linear across them); the
 * interval is the smallest step between two candles.
 *
 * <p>A refusal is a {@link CandleException} whose message is {@code NAME:LINE: reason}.
 */
public final class CandleCsv {
    public static final String HEADER = "ts_ms,open,high,low,close,volume";
    static final int MAX_LINE_BYTES = 256;
    static final int MAX_ROWS = 2_000_000;
    static final int MAX_NUMBER_CHARS = 40;
    static final double MAX_PRICE = 1e12;
    private static final long MIN_TS_MS = 0;
    private static final long MAX_TS_MS = 7_258_118_400_000L;

    /** One candle; prices in USD (or the file's quote currency), volume in the base asset. */
    public record Candle(long tsMs, double open, double high, double low, double close, double volume) {
    }

    /** A malformed file: the message names the file and line. */
    public static final class CandleException extends Exception {
        CandleException(String message) {
            super(message);
        }
    }

    private CandleCsv() {
    }

    /** Reads every candle of {@code in}, named {@code name} in errors; at least two candles. */
    public static List<Candle> read(String name, InputStream in) throws IOException, CandleException {
        LineReader lines = new LineReader(in);
        List<Candle> candles = new ArrayList<>();
        String line = lines.next(name);
        if (line == null) {
            throw new CandleException(name + ":1: empty file (expected the header " + HEADER + ")");
        }
        if (!line.equals(HEADER)) {
            throw new CandleException(name + ":1: the header must be " + HEADER + ", not '" + printable(line) + "'");
        }
        long previous = Long.MIN_VALUE;
        while ((line = lines.next(name)) != null) {
            int number = lines.number;
            if (candles.size() == MAX_ROWS) {
                throw new CandleException(name + ":" + number + ": more than " + MAX_ROWS + " candles");
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 6) {
                throw new CandleException(name + ":" + number + ": " + fields.length + " fields, expected 6 ("
                        + HEADER + ")");
            }
            long ts = timestamp(name, number, fields[0]);
            if (ts <= previous) {
                throw new CandleException(name + ":" + number + ": ts_ms " + ts + " is not after the previous candle's "
                        + previous);
            }
            previous = ts;
            double open = price(name, number, "open", fields[1]);
            double high = price(name, number, "high", fields[2]);
            double low = price(name, number, "low", fields[3]);
            double close = price(name, number, "close", fields[4]);
            double volume = decimal(name, number, "volume", fields[5]);
            if (volume < 0) {
                throw new CandleException(name + ":" + number + ": volume " + fields[5] + " is negative");
            }
            if (low > Math.min(open, close) || high < Math.max(open, close)) {
                throw new CandleException(name + ":" + number + ": inconsistent candle: low " + fields[3] + " and high "
                        + fields[2] + " must bracket open " + fields[1] + " and close " + fields[4]);
            }
            candles.add(new Candle(ts, open, high, low, close, volume));
        }
        if (candles.size() < 2) {
            throw new CandleException(name + ":" + (lines.number + 1) + ": " + candles.size()
                    + " candle(s); a replay needs at least 2");
        }
        return List.copyOf(candles);
    }

    private static long timestamp(String name, int line, String text) throws CandleException {
        if (text.isEmpty() || text.length() > 13 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CandleException(name + ":" + line + ": ts_ms '" + printable(text)
                    + "' is not a whole number of milliseconds");
        }
        long ts = Long.parseLong(text);
        if (ts < MIN_TS_MS || ts > MAX_TS_MS) {
            throw new CandleException(name + ":" + line + ": ts_ms " + ts + " is outside 1970..2200");
        }
        return ts;
    }

    private static double price(String name, int line, String field, String text) throws CandleException {
        double value = decimal(name, line, field, text);
        if (!(value > 0) || value >= MAX_PRICE) {
            throw new CandleException(name + ":" + line + ": " + field + " " + text + " must be above 0 and below 1e12");
        }
        return value;
    }

    /**
     * A plain decimal: digits with at most one point, no sign, exponent, spaces or NaN: {@link BigDecimal} checks
     * the form after the length and character bounds, so nothing unbounded is ever parsed.
     */
    private static double decimal(String name, int line, String field, String text) throws CandleException {
        boolean plain = !text.isEmpty() && text.length() <= MAX_NUMBER_CHARS && text.charAt(0) != '.'
                && text.charAt(text.length() - 1) != '.'
                && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')
                && text.indexOf('.') == text.lastIndexOf('.');
        if (!plain) {
            throw new CandleException(name + ":" + line + ": " + field + " '" + printable(text)
                    + "' is not a plain decimal number");
        }
        return new BigDecimal(text).doubleValue();
    }

    /** The text as an error message may show it: at most 40 characters, control characters replaced. */
    static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    /** Lines of at most {@link #MAX_LINE_BYTES} bytes, read a byte at a time from a buffered stream. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] line = new byte[MAX_LINE_BYTES];
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        int number;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line without its end, or null at the end of the input. */
        String next(String name) throws IOException, CandleException {
            int length = 0;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                }
                byte b = buffer[position++];
                any = true;
                if (b == '\n') {
                    break;
                }
                if (length == MAX_LINE_BYTES) {
                    throw new CandleException(name + ":" + (number + 1) + ": line longer than " + MAX_LINE_BYTES
                            + " bytes");
                }
                line[length++] = b;
            }
            number++;
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            return new String(line, 0, length, StandardCharsets.UTF_8);
        }
    }
}
