package io.meridian.simulator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The candle file's rules: every malformed input is refused with {@code NAME:LINE: reason}, never an exception of
 * another kind, and nothing unbounded is read; every well-formed file reads back exactly.
 */
class CandleCsvTest {
    private static final String HEADER = CandleCsv.HEADER + "\n";

    private static List<CandleCsv.Candle> read(String text) throws Exception {
        return CandleCsv.read("f.csv", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String refusal(String text) {
        return assertThrows(CandleCsv.CandleException.class, () -> read(text)).getMessage();
    }

    @Test
    void readsCandlesWithCrLfAndATrailingNewline() throws Exception {
        List<CandleCsv.Candle> candles = read(CandleCsv.HEADER + "\r\n1000,10,12,9,11,5.5\r\n61000,11,11.5,10,10.5,0\r\n");
        assertEquals(2, candles.size());
        assertEquals(new CandleCsv.Candle(1000, 10, 12, 9, 11, 5.5), candles.get(0));
        assertEquals(10.5, candles.get(1).close());
    }

    @Test
    void refusesEachKindOfMalformedLineNamingFileAndLine() {
        assertEquals("f.csv:1: empty file (expected the header " + CandleCsv.HEADER + ")", refusal(""));
        assertTrue(refusal("time,o,h,l,c,v\n").startsWith("f.csv:1: the header must be"));
        assertEquals("f.csv:2: 5 fields, expected 6 (" + CandleCsv.HEADER + ")", refusal(HEADER + "1,2,3,1,2\n"));
        assertTrue(refusal(HEADER + "1000,10,12,9,11,1\n\n").startsWith("f.csv:3: 1 fields"));
        assertTrue(refusal(HEADER + "-5,10,12,9,11,1\n").startsWith("f.csv:2: ts_ms '-5' is not a whole number"));
        assertTrue(refusal(HEADER + "1000,10,12,9,11,1\n1000,10,12,9,11,1\n").startsWith("f.csv:3: ts_ms 1000 is not"
                + " after"));
        assertTrue(refusal(HEADER + "1000,1e3,12,9,11,1\n").startsWith("f.csv:2: open '1e3' is not a plain decimal"));
        assertTrue(refusal(HEADER + "1000,NaN,12,9,11,1\n").contains("is not a plain decimal"));
        assertTrue(refusal(HEADER + "1000, 10,12,9,11,1\n").contains("is not a plain decimal"));
        assertTrue(refusal(HEADER + "1000,0,12,0,11,1\n").startsWith("f.csv:2: open 0 must be above 0"));
        assertTrue(refusal(HEADER + "1000,10,12,9,13,1\n").startsWith("f.csv:2: inconsistent candle"));
        assertTrue(refusal(HEADER + "1000,10,12,10.5,11,1\n").startsWith("f.csv:2: inconsistent candle"));
        assertTrue(refusal(HEADER + "1000,10,12,9,11,1\n").startsWith("f.csv:3: 1 candle(s); a replay needs at least"));
        assertTrue(refusal(HEADER + "99999999999999,10,12,9,11,1\n").contains("is not a whole number"));
        assertTrue(refusal(HEADER + "1000,10,12,9,11,1.2.3\n").contains("volume '1.2.3' is not a plain decimal"));
        assertTrue(refusal(HEADER + "1000,10,12,9,11,1\u0007\n").contains("volume '1?' is not"));
    }

    /** A line that never ends (a gigabyte of digits) is refused at the bound, having read little more than it. */
    @Test
    void refusesAnEndlessLineAtTheBoundWithoutReadingIt() {
        long[] read = {0};
        InputStream endless = new InputStream() {
            private final byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);

            @Override
            public int read() {
                long at = read[0]++;
                return at < header.length ? header[(int) at] : '7';
            }
        };
        CandleCsv.CandleException e = assertThrows(CandleCsv.CandleException.class,
                () -> CandleCsv.read("big.csv", endless));
        assertEquals("big.csv:2: line longer than " + CandleCsv.MAX_LINE_BYTES + " bytes", e.getMessage());
        assertTrue(read[0] < 200_000, "read " + read[0] + " bytes");
    }

    /** Whatever the bytes, the reader answers with candles or a refusal naming a line; nothing else escapes. */
    @Property(tries = 2_000)
    void garbageIsRefusedCleanly(@ForAll("lines") @Size(max = 8) List<String> lines) throws IOException {
        String text = HEADER + String.join("\n", lines);
        try {
            List<CandleCsv.Candle> candles = read(text);
            assertTrue(candles.size() >= 2);
        } catch (CandleCsv.CandleException e) {
            assertTrue(e.getMessage().matches("f\\.csv:\\d+: .+"), e.getMessage());
        } catch (Exception e) {
            throw new AssertionError("not a refusal: " + e, e);
        }
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789.-eE+ ,").ofMaxLength(12),
                Arbitraries.longs().between(0, 2_000_000_000_000L).map(v -> Long.toString(v)),
                Arbitraries.doubles().between(0.0001, 1e6).ofScale(4).map(d -> Double.toString(d)));
        Arbitrary<String> row = number.list().ofMinSize(0).ofMaxSize(8).map(fields -> String.join(",", fields));
        return Arbitraries.oneOf(row, Arbitraries.strings().ofMaxLength(300)).list().ofMaxSize(8);
    }

    /** Well-formed candles read back as written. */
    @Property(tries = 300)
    void wellFormedCandlesReadBack(@ForAll("candles") List<CandleCsv.Candle> candles) throws Exception {
        StringBuilder text = new StringBuilder(HEADER);
        for (CandleCsv.Candle c : candles) {
            text.append(c.tsMs()).append(',').append(plain(c.open())).append(',').append(plain(c.high())).append(',')
                    .append(plain(c.low())).append(',').append(plain(c.close())).append(',').append(plain(c.volume()))
                    .append('\n');
        }
        assertEquals(candles, read(text.toString()));
    }

    private static String plain(double d) {
        return new java.math.BigDecimal(Double.toString(d)).toPlainString();
    }

    @Provide
    Arbitrary<List<CandleCsv.Candle>> candles() {
        Arbitrary<double[]> ohlc = Arbitraries.integers().between(1, 10_000_000).list().ofSize(4).map(values -> {
            double[] p = values.stream().mapToDouble(v -> v / 100.0).sorted().toArray();
            return new double[] {p[1], p[3], p[0], p[2]};
        });
        return ohlc.list().ofMinSize(2).ofMaxSize(30).map(list -> {
            java.util.List<CandleCsv.Candle> out = new java.util.ArrayList<>();
            long ts = 1_600_000_000_000L;
            for (double[] p : list) {
                out.add(new CandleCsv.Candle(ts, p[0], p[1], p[2], p[3], 1.5));
                ts += 60_000;
            }
            return out;
        });
    }
}
