package io.meridian.model.snapshot;

import io.meridian.model.AssetSpec;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot format's primitives, sections and specs: round trips, and refusals of what was not written. */
class SnapshotFormatTest {
    @Test
    void primitivesRoundTrip() {
        SplittableRandom random = new SplittableRandom(7);
        long[] longs = new long[2_000];
        for (int i = 0; i < longs.length; i++) {
            longs[i] = switch (i % 5) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt(300) - 150;
                case 2 -> Long.MIN_VALUE + random.nextInt(3);
                case 3 -> Long.MAX_VALUE - random.nextInt(3);
                default -> random.nextLong() >> random.nextInt(64);
            };
        }
        SnapshotWriter out = new SnapshotWriter(1);
        for (long value : longs) {
            out.writeVarLong(value);
            out.writeLong(value);
            out.writeCount(value & Long.MAX_VALUE);
        }
        out.writeInt(-12345);
        out.writeDouble(Double.longBitsToDouble(0x7FF8_0000_0000_0123L));
        out.writeDouble(-0.0);
        out.writeBoolean(true);
        out.writeEnum(Side.SELL);
        out.writeEnum(null);
        out.writeString("BTC-PERP é");
        out.writeNullableString(null);
        out.writeBytes(new byte[] {1, 2, 3});
        out.writeNullableBytes(null);
        out.writeNullableBytes(new byte[0]);
        SnapshotReader in = new SnapshotReader(out.buffer(), 0, out.length());
        for (long value : longs) {
            assertEquals(value, in.readVarLong());
            assertEquals(value, in.readLong());
            assertEquals(value & Long.MAX_VALUE, in.readUnsignedLong());
        }
        assertEquals(-12345, in.readInt());
        assertEquals(0x7FF8_0000_0000_0123L, Double.doubleToRawLongBits(in.readDouble()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(in.readDouble()));
        assertTrue(in.readBoolean());
        assertEquals(Side.SELL, in.readEnum(Side.values(), "side"));
        assertNull(in.readEnum(Side.values(), "side"));
        assertEquals("BTC-PERP é", in.readString());
        assertNull(in.readNullableString());
        assertArrayEquals(new byte[] {1, 2, 3}, in.readBytes());
        assertNull(in.readNullableBytes());
        assertArrayEquals(new byte[0], in.readNullableBytes());
        assertFalse(in.hasRemaining());
    }

    @Test
    void sectionsCarryTagVersionAndLengthAndNest() {
        SnapshotWriter out = new SnapshotWriter();
        out.beginSection(5, 2);
        out.writeVarLong(42);
        out.beginSection(6, 1);
        out.writeString("inner");
        out.endSection();
        out.endSection();
        out.beginSection(7, 1);
        out.endSection();
        SnapshotReader in = new SnapshotReader(out.buffer(), 0, out.length());
        assertEquals(5, in.peekTag());
        SnapshotReader outer = in.openSection(5, 3, "outer");
        assertEquals(2, outer.version());
        assertEquals(42, outer.readVarLong());
        SnapshotReader inner = outer.openSection(6, 1, "inner");
        assertEquals("inner", inner.readString());
        inner.expectEnd("inner");
        outer.expectEnd("outer");
        SnapshotReader empty = in.openSection(7, 1, "empty");
        assertFalse(empty.hasRemaining());
        assertEquals(-1, in.peekTag());
    }

    @Test
    void aSectionIsRefusedForAnotherTagANewerVersionOrBytesItDoesNotRead() {
        SnapshotWriter out = new SnapshotWriter();
        out.beginSection(5, 2);
        out.writeVarLong(1);
        out.writeVarLong(2);
        out.endSection();
        byte[] bytes = out.toByteArray();
        assertTrue(assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(bytes, 0, bytes.length)
                .openSection(6, 9, "other")).getMessage().contains("found tag 5"));
        assertTrue(assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(bytes, 0, bytes.length)
                .openSection(5, 1, "books")).getMessage().contains("format version 2"));
        SnapshotReader section = new SnapshotReader(bytes, 0, bytes.length).openSection(5, 2, "books");
        section.readVarLong();
        assertTrue(assertThrows(SnapshotFormatException.class, () -> section.expectEnd("books")).getMessage()
                .contains("does not read"));
        // A reader of the older layout that ends early takes the appended field's default.
        SnapshotWriter older = new SnapshotWriter();
        older.beginSection(5, 2);
        older.writeVarLong(1);
        older.endSection();
        SnapshotReader old = new SnapshotReader(older.buffer(), 0, older.length()).openSection(5, 2, "books");
        assertEquals(1, old.readVarLong());
        assertEquals(0, old.hasRemaining() ? old.readVarLong() : 0);
    }

    @Test
    void truncatedOrHostileBytesAreRefusedBeforeAnythingIsAllocated() {
        SnapshotWriter out = new SnapshotWriter();
        out.writeCount(Integer.MAX_VALUE);
        out.writeByte(0);
        byte[] hugeCount = out.toByteArray();
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(hugeCount, 0, hugeCount.length)
                .readCount(1));
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(hugeCount, 0, hugeCount.length)
                .readBytes());
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(hugeCount, 0, hugeCount.length)
                .readString());
        byte[] endless = new byte[20];
        Arrays.fill(endless, (byte) 0xFF);
        assertTrue(assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(endless, 0, endless.length)
                .readVarLong()).getMessage().contains("10 bytes"));
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(new byte[] {2}, 0, 1).readBoolean());
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(new byte[] {9}, 0, 1)
                .readEnum(Side.values(), "side"));
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(new byte[] {1, 2, 3}, 0, 3).readLong());
        assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(new byte[] {5}, 0, 1)
                .readIndex(5, "asset"));
        // A section whose length exceeds what is left.
        SnapshotWriter section = new SnapshotWriter();
        section.beginSection(3, 1);
        section.writeVarLong(7);
        section.endSection();
        byte[] cut = Arrays.copyOf(section.toByteArray(), section.length() - 1);
        assertTrue(assertThrows(SnapshotFormatException.class, () -> new SnapshotReader(cut, 0, cut.length)
                .openSection(3, 1, "ledger")).getMessage().contains("exceeds"));
    }

    @Test
    void specsRoundTripExactlyAndInvalidOnesAreRefused() {
        InstrumentSpec perpetual = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.10", "0.001");
        InstrumentSpec option = InstrumentSpec.option(12, "BTC-60000-C", "BTC", "USDC", 6, "0.1", "0.01", "1",
                1_700_000_000_000_000_000L);
        IndexSpec index = IndexSpec.of(0, "BTC-USD", 2, "a", "b", "c").withStalenessNanos(5);
        IndexSpec weighted = new IndexSpec(1, "ETH-USD", 2, List.of("x", "y"), List.of(3L, 0L), 10, 0, true, 1, 0, 0,
                true, 1, 0, false);
        PricingSpec pricing = PricingSpec.perpetual(0, 6).withMaxFundingRate(7);
        OptionSpec terms = OptionSpec.of(0, "60000.50", OptionRight.PUT);
        OptionMarginSpec margin = new OptionMarginSpec(150_000, 100_000, 20_000, 500_000, List.of(-1L, 0L, 1L),
                List.of(new OptionMarginSpec.Shock(5, -5)), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        OptionMarginSpec nulls = new OptionMarginSpec(1, 1, 1, 1, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        SnapshotWriter out = new SnapshotWriter();
        SpecCodec.writeAsset(out, new AssetSpec(3, "USDC", 6));
        SpecCodec.writeInstrument(out, perpetual);
        SpecCodec.writeInstrument(out, option);
        SpecCodec.writeIndex(out, index);
        SpecCodec.writeIndex(out, weighted);
        SpecCodec.writePricing(out, pricing);
        SpecCodec.writeOption(out, terms);
        SpecCodec.writeOptionMargin(out, margin);
        SpecCodec.writeOptionMargin(out, nulls);
        SpecCodec.writeDecimal(out, new BigDecimal("1.2300E+5"));
        SnapshotReader in = new SnapshotReader(out.buffer(), 0, out.length());
        assertEquals(new AssetSpec(3, "USDC", 6), SpecCodec.readAsset(in));
        assertEquals(perpetual.toString(), SpecCodec.readInstrument(in).toString());
        assertEquals(option.toString(), SpecCodec.readInstrument(in).toString());
        assertEquals(index, SpecCodec.readIndex(in));
        assertEquals(weighted, SpecCodec.readIndex(in));
        assertEquals(pricing, SpecCodec.readPricing(in));
        assertEquals(terms.toString(), SpecCodec.readOption(in).toString());
        assertEquals(margin, SpecCodec.readOptionMargin(in));
        assertEquals(nulls, SpecCodec.readOptionMargin(in));
        assertEquals("1.2300E+5", SpecCodec.readDecimal(in).toString());
        assertFalse(in.hasRemaining());

        SnapshotWriter bad = new SnapshotWriter();
        SpecCodec.writeInstrument(bad, new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "X", "USDC", 6,
                BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE, 1, 1, 1, 0, 1, 0, 0, 0));
        assertThrows(SnapshotFormatException.class, () -> SpecCodec.readInstrument(new SnapshotReader(bad.buffer(), 0,
                bad.length())));
        SnapshotWriter huge = new SnapshotWriter();
        huge.writeVarInt(-2_000_000_000);
        huge.writeBytes(new byte[] {1});
        assertThrows(SnapshotFormatException.class, () -> SpecCodec.readDecimal(new SnapshotReader(huge.buffer(), 0,
                huge.length())));
    }
}
