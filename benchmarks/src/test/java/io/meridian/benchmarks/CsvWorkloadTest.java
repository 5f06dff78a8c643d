package io.meridian.benchmarks;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvWorkloadTest {

    private static Workload parse(String text) throws WorkloadException {
        return CsvWorkload.read(new StringReader(text), "test.csv");
    }

    private static String errorOf(String text) {
        return assertThrows(WorkloadException.class, () -> parse(text)).getMessage();
    }

    @Test
    void parsesEveryOpWithHeaderAndNamesInstrumentsInOrderOfFirstAppearance() throws WorkloadException {
        Workload w = parse(String.join("\n",
                "op,account,order_id,instrument,side,price,qty,type",
                "place,7,1,ETH-PERP,buy,2000,3,GTC",
                "place,9,2,BTC-PERP,SELL,50000,1,ioc",
                "",
                "# a comment",
                "amend,7,1,ETH-PERP,,2001,,",
                "amend,7,1,ETH-PERP,buy,,5,",
                "cancel,7,1,ETH-PERP,,,,",
                "cancel,9,3,BTC-PERP",
                "place, 9 , 4 , ETH-PERP , sell , 2100 , 2 , FOK "));
        assertEquals(2, w.instrumentCount());
        assertEquals("ETH-PERP", w.instruments()[0].symbol());
        assertEquals("BTC-PERP", w.instruments()[1].symbol());
        assertEquals(0, w.instruments()[0].priceBandPpm());
        assertArrayEquals(new long[] {7, 9}, w.accounts());
        assertEquals(0, w.prefill().length);
        Command[] c = w.commands();
        assertEquals(7, c.length);

        assertEquals(CommandType.PLACE_ORDER, c[0].type);
        assertEquals(7, c[0].account);
        assertEquals(1, c[0].orderId);
        assertEquals(0, c[0].instrument);
        assertEquals(Side.BUY, c[0].side);
        assertEquals(2000, c[0].price);
        assertEquals(3, c[0].quantity);
        assertEquals(TimeInForce.GTC, c[0].timeInForce);
        assertEquals(1, c[1].instrument);
        assertEquals(Side.SELL, c[1].side);
        assertEquals(TimeInForce.IOC, c[1].timeInForce);

        assertEquals(CommandType.AMEND_ORDER, c[2].type);
        assertEquals(2001, c[2].price);
        assertEquals(0, c[2].quantity);
        assertEquals(0, c[3].price);
        assertEquals(5, c[3].quantity);
        assertEquals(CommandType.CANCEL_ORDER, c[4].type);
        assertEquals(CommandType.CANCEL_ORDER, c[5].type);
        assertEquals(3, c[5].orderId);
        assertEquals(TimeInForce.FOK, c[6].timeInForce);
        assertEquals(2100, c[6].price);

        // Sequence numbers follow the setup (asset, two instruments, deposits); timestamps never decrease.
        for (int i = 0; i < c.length; i++) {
            assertEquals(w.setup().length + 1 + i, c[i].sequence);
            assertTrue(i == 0 || c[i].timestamp >= c[i - 1].timestamp);
        }
    }

    @Test
    void headerIsOptional() throws WorkloadException {
        Workload w = parse("place,1,1,X,buy,10,1,GTC\r\nplace,2,2,X,sell,10,1,GTC\r\n");
        assertEquals(2, w.commands().length);
        assertEquals(1, w.instrumentCount());
    }

    @Test
    void badLinesNameTheLine() {
        assertEquals("test.csv:2: unknown op 'plcae' (expected place, cancel or amend)",
                errorOf("op,account,order_id,instrument,side,price,qty,type\nplcae,1,1,X,buy,10,1,GTC"));
        assertEquals("test.csv:1: bad side 'b' (expected buy or sell)", errorOf("place,1,1,X,b,10,1,GTC"));
        assertEquals("test.csv:1: price is not a whole number: '10.5'", errorOf("place,1,1,X,buy,10.5,1,GTC"));
        assertEquals("test.csv:1: qty must be positive, found 0", errorOf("place,1,1,X,buy,10,0,GTC"));
        assertEquals("test.csv:1: price is empty", errorOf("place,1,1,X,buy,,1,GTC"));
        assertEquals("test.csv:1: bad type 'GTD' (expected GTC, IOC or FOK)", errorOf("place,1,1,X,buy,10,1,GTD"));
        assertEquals("test.csv:1: type is empty (expected GTC, IOC or FOK)", errorOf("place,1,1,X,buy,10,1"));
        assertEquals("test.csv:1: account must be positive, found -3", errorOf("place,-3,1,X,buy,10,1,GTC"));
        assertEquals("test.csv:1: instrument is empty", errorOf("cancel,1,1,,,,,"));
        assertEquals("test.csv:1: type must be empty for cancel, found 'GTC'", errorOf("cancel,1,1,X,,,,GTC"));
        assertEquals("test.csv:1: amend needs a new price and/or qty", errorOf("amend,1,1,X,,,,"));
        assertTrue(errorOf("place,1,1,X,buy,10,1,GTC,extra").startsWith("test.csv:1: expected 8 fields"));
        assertTrue(errorOf("place,1,1").startsWith("test.csv:1: expected 8 fields"));
        assertTrue(errorOf("place,1,1,X,buy,1125899906842625,1,GTC").startsWith("test.csv:1: price 1125899906842625"));
        assertEquals("test.csv:4: order_id is not a whole number: 'x'",
                errorOf("place,1,1,X,buy,10,1,GTC\n\n# comment\ncancel,1,x,X"));
        assertEquals("test.csv: no commands", errorOf("op,account,order_id,instrument,side,price,qty,type\n"));
    }

    @Test
    void replaysThroughTheEngineWithoutRejects() throws WorkloadException {
        Workload w = parse(String.join("\n",
                "place,1,1,X,buy,100,5,GTC",
                "place,2,2,X,sell,101,3,GTC",
                "amend,2,2,X,,100,,",
                "place,3,3,X,sell,99,1,IOC",
                "cancel,1,1,X"));
        EngineTarget engine = new EngineTarget(w);
        engine.prepare();
        engine.run(w.commands());
        assertEquals(0, engine.rejected());
        assertEquals(0, engine.engine().view().book(0).openOrders());
        assertEquals(2, engine.engine().view().book(0).tradeCount());
    }

    @Test
    void benchCliStopsOnABadLineWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "op,account,order_id,instrument,side,price,qty,type\nplace,1,1,X,buy,10,1,GTC\n"
                + "place,1,2,X,sideways,10,1,GTC\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = BenchCli.run(new String[] {"engine", "--workload", file.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, code);
        assertTrue(out.contains("bad.csv:3: bad side 'sideways' (expected buy or sell)"), out);
        assertFalse(out.contains("Exception"), out);
        assertFalse(out.contains("\tat "), out);

        bytes.reset();
        code = BenchCli.run(new String[] {"matching", "--workload", dir.resolve("missing.csv").toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("missing.csv: no such file"));
    }
}
