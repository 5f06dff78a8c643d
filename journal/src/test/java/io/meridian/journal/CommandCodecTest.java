package io.meridian.journal;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginBracket;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Example-based tests of {@link CommandCodec}: the round trip of a command with every field set (found by reflection,
 * so a field added to {@link Command} fails here until the codec carries it), the wire format pinned by golden bytes,
 * hand-crafted hostile inputs aimed at each length and range check of the decoder, and the encoder's refusals.
 * {@link CommandCodecProperties} covers the same contract with random commands and random corruption.
 */
class CommandCodecTest {
    /** Carried by the journal record header, not by the codec; the decoder leaves them 0. */
    static final Set<String> ENVELOPE = Set.of("sequence", "timestamp");

    // Wire-format bit numbers (mirrors of CommandCodec's private constants) for the hand-crafted inputs below.
    private static final int F_ACCOUNT = 0;
    private static final int F_INSTRUMENT = 1;
    private static final int F_REDUCE_ONLY = 14;
    private static final int F_INSTRUMENT_SPEC = 16;
    private static final int F_MARGIN_BRACKETS = 17;
    private static final int F_ASSET_SPEC = 25;
    private static final int F_INDEX_SPEC = 28;
    private static final int F_OPTION_SPEC = 42;
    private static final int FIELD_COUNT = 44;
    private static final long KIND_OUT_OF_RANGE = InstrumentKind.values().length + 1L;
    private static final long RIGHT_OUT_OF_RANGE = OptionRight.values().length + 1L;

    private final CommandCodec codec = new CommandCodec();

    // ------------------------------------------------------------------------------------------------- round trip

    @Test
    void commandWithEveryFieldSetRoundTrips() {
        Command c = everyFieldSet();
        for (Field f : codecFields()) {
            // Otherwise the presence mask would legitimately drop the field and the test would prove nothing for it.
            assertNotEquals(get(f, new Command()), get(f, c), "test value of " + f.getName() + " is its default");
        }
        Command decoded = codec.decode(codec.encode(c), new Command());
        assertSameFields(c, decoded);
        assertEnvelopeCleared(decoded);
    }

    @Test
    void eachFieldAloneRoundTrips() {
        // One field at a time: a codec that writes field A under field B's bit, or skips a field whose neighbours are
        // absent, passes the all-fields test only if the mix-up happens to cancel out; alone it cannot.
        Command full = everyFieldSet();
        for (Field f : codecFields()) {
            Command c = new Command();
            set(f, c, get(f, full));
            Command decoded = codec.decode(codec.encode(c), dirty());
            assertSameFields(c, decoded);
        }
    }

    @Test
    void defaultCommandIsThreeBytesAndRoundTrips() {
        Command reset = new Command().reset();
        byte[] bytes = codec.encode(reset);
        // Version, null type, empty presence mask: a command costs nothing for the fields it leaves absent.
        assertArrayEquals(new byte[] {CommandCodec.FORMAT_VERSION, 0, 0}, bytes);
        assertSameFields(reset, codec.decode(bytes, dirty()));
    }

    @Test
    void goldenBytesPinTheWireFormat() {
        // The journal outlives the code that wrote it: reordering CommandType, renumbering the presence bits or
        // changing the varint/zig-zag scheme would silently misread old journals, so the bytes are pinned here.
        Command deposit = new Command().deposit(5, 2, -3);
        byte[] expected = {
            1,                                  // format version
            9,                                  // DEPOSIT (ordinal 8) + 1
            (byte) 0x81, (byte) 0x80, (byte) 0x80, 0x60, // mask: account (bit 0), asset (26), amount (27)
            10,                                 // account 5, zig-zag
            4,                                  // asset 2
            5,                                  // amount -3
        };
        assertArrayEquals(expected, codec.encode(deposit));
        assertSameFields(deposit, codec.decode(expected, new Command()));

        // Values follow the mask in bit order; enums travel as ordinal + 1.
        Command limit = new Command().limit(1, 2, 3, Side.SELL, 100, 7, TimeInForce.IOC);
        byte[] expectedLimit = {
            1, 2,                               // version, PLACE_ORDER (ordinal 1) + 1
            (byte) 0xF7, 0x03,                  // mask 0x1F7: bits 0-2 and 4-8
            2, 4, 6,                            // account 1, instrument 2, orderId 3 (zig-zag)
            2, 1, 2,                            // SELL, LIMIT, IOC
            (byte) 0xC8, 0x01,                  // price 100: zig-zag 200, two varint bytes
            14,                                 // quantity 7
        };
        assertArrayEquals(expectedLimit, codec.encode(limit));
        assertSameFields(limit, codec.decode(expectedLimit, new Command()));
    }

    @Test
    void aClientOrderTextIsTheLastFieldAndACommandWithoutItDecodesAsBefore() {
        // A limit order with a numeric client order id: exactly the bytes every build before the text field wrote.
        Command numeric = new Command().limit(1, 2, 3, Side.SELL, 100, 7, TimeInForce.IOC);
        numeric.clientOrderId = 5;
        byte[] before = {
            1, 2,                               // version, PLACE_ORDER
            (byte) 0xFF, 0x03,                  // mask 0x1FF: bits 0-8 (clientOrderId is bit 3)
            2, 4, 6, 10,                        // account 1, instrument 2, orderId 3, clientOrderId 5
            2, 1, 2,                            // SELL, LIMIT, IOC
            (byte) 0xC8, 0x01,                  // price 100
            14,                                 // quantity 7
        };
        assertArrayEquals(before, codec.encode(numeric));
        Command decoded = codec.decode(before, new Command());
        assertSameFields(numeric, decoded);
        assertEquals(null, decoded.clientOrderText, "no text: the id is a number, as before");

        // The same order with its id given as text: bit 52 in the mask, the text (UTF-8, length + 1) after every
        // other field.
        Command text = new Command().copyFrom(numeric);
        text.clientOrderText = "ab";
        text.clientOrderId = io.meridian.auth.ClientOrderIds.key("ab");
        byte[] encoded = codec.encode(text);
        assertEquals(0x1FFL | 1L << 52, readVarint(encoded, 2));
        assertArrayEquals(new byte[] {3, 'a', 'b'}, Arrays.copyOfRange(encoded, encoded.length - 3, encoded.length));
        assertSameFields(text, codec.decode(encoded, new Command()));
    }

    @Test
    void pricingSpecCarriesItsMarkBandAndTheEarlierLayoutStillDecodes() {
        Command c = new Command();
        c.pricingSpec = new PricingSpec(1, 2, 3, 4, 5, 6, 7, 8, 9);
        byte[] expected = {
            1, 0,                               // version, no type
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x02, // mask: pricingSpec (bit 29)
            2,                                  // presence byte 2: the layout with markBandPpm
            2, 4, 6, 8, 10, 12, 14, 16,         // indexId 1 .. maxFundingRate 8, zig-zag
            18,                                 // markBandPpm 9
        };
        assertArrayEquals(expected, codec.encode(c));
        assertSameFields(c, codec.decode(expected, new Command()));

        // A journal written before the band existed: presence byte 1 and no markBandPpm; it reads with the default.
        byte[] earlier = Arrays.copyOf(expected, expected.length - 1);
        earlier[7] = 1;
        assertEquals(new PricingSpec(1, 2, 3, 4, 5, 6, 7, 8, PricingSpec.DEFAULT_MARK_BAND_PPM),
                codec.decode(earlier, new Command()).pricingSpec);
        byte[] unknown = expected.clone();
        unknown[7] = 3;
        assertThrows(CodecException.class, () -> codec.decode(unknown, new Command()));
    }

    @Test
    void presenceBitOfEveryFieldIsPinned() {
        // The bit numbers are the wire format: a field renumbered, or inserted in the middle rather than appended,
        // would make old journals decode into the wrong fields. A new field goes at the end of this list.
        List<String> bitOrder = List.of("account", "instrument", "orderId", "clientOrderId", "side", "orderType",
                "timeInForce", "price", "quantity", "triggerPrice", "triggerSource", "displayQuantity", "expireAt",
                "postOnly", "reduceOnly", "selfTradePrevention", "instrumentSpec", "marginBrackets", "positionLimit",
                "counterparty", "settlementAsset", "collateralWeightPpm", "marginMode", "feeTier", "leverage",
                "assetSpec", "asset", "amount", "indexSpec", "pricingSpec", "indexId", "sourceId", "confidence",
                "sourceTimestamp", "address", "agentKey", "signature", "nonce", "destination", "agentName", "validUntil",
                "sessionId", "optionSpec", "optionMarginSpec", "governanceSpec", "riskBounds", "proposalId",
                "riskMultiplierPpm", "effectiveAt", "chainDepositId", "forcedRef", "chainRef", "clientOrderText");
        List<String> carried = new ArrayList<>(codecFields().stream().map(Field::getName).toList());
        carried.remove("type");
        assertEquals(Set.copyOf(carried), Set.copyOf(bitOrder), "every field but type has a presence bit");
        Command full = everyFieldSet();
        for (int bit = 0; bit < bitOrder.size(); bit++) {
            Field f = field(bitOrder.get(bit));
            Command c = new Command();
            set(f, c, get(f, full));
            byte[] bytes = codec.encode(c);
            // bytes[1] is the null type (one byte 0); the mask varint starts at 2.
            assertEquals(1L << bit, readVarint(bytes, 2), "presence bit of " + f.getName());
        }
    }

    @Test
    void plainOrderCommandsRoundTrip() {
        List<Command> commands = List.of(
                new Command().limit(42, 3, 1_000_001, Side.SELL, 650_000, 7, TimeInForce.GTD),
                new Command().market(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Side.BUY, -1),
                new Command().cancel(-9, Command.ALL_INSTRUMENTS, 0),
                new Command().amend(1, 2, 3, 4, 5),
                new Command().withdraw(1, 0, Long.MIN_VALUE),
                new Command().transfer(1, 2, 3, Long.MAX_VALUE),
                new Command().oracleReport(1023, 63, -5, 1_700_000_000_000_000_000L));
        for (Command c : commands) {
            c.sequence = 77;
            c.timestamp = 88;
            Command decoded = codec.decode(codec.encode(c), dirty());
            assertSameFields(c, decoded);
            assertEnvelopeCleared(decoded);
        }
    }

    @Test
    void nullsOddValuesAndNonAsciiInsideNestedSpecsRoundTrip() {
        // The codec is a transport, not a validator: specs the engine would reject must still be journaled exactly
        // (the engine's reject is replayed from them), so nulls, negatives, odd decimals and empty lists all travel.
        BigDecimal huge = new BigDecimal(BigInteger.TWO.pow(520).negate(), Integer.MIN_VALUE);
        List<Object> specs = List.of(
                new InstrumentSpec(Integer.MIN_VALUE, null, null, null, null, Integer.MAX_VALUE, null, null, null,
                        Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, Long.MIN_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE),
                new InstrumentSpec(0, "", InstrumentKind.OPTION, "\u0000", "\uFFFF\uD83D\uDE00", -1,
                        new BigDecimal("0.10"), new BigDecimal("1E+3"), huge, 0, 0, 0, 0, 0, 0, 0, 0),
                new InstrumentSpec(1, "x", InstrumentKind.PERPETUAL, "b", "s", 6, BigDecimal.ZERO,
                        new BigDecimal("-0.000"), new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE), 1, 2, 3, 4, 5, 6, 7, 8),
                new AssetSpec(-1, null, Integer.MIN_VALUE),
                new AssetSpec(0, "", 0),
                new AssetSpec(1, "日本円 \uD834\uDD1E", 18),
                new IndexSpec(-1, null, -1, null, null, -1, -1, false, -1, -1, -1, false, -1, -1, false),
                new IndexSpec(0, "", 0, List.of(), List.of(), 0, 0, true, 0, 0, 0, true, 0, 0, true),
                new IndexSpec(1, "Ω", 12, List.of("", "ü", "\uD83D\uDE80"), List.of(Long.MIN_VALUE, -1L), Long.MAX_VALUE,
                        Long.MIN_VALUE, false, Integer.MAX_VALUE, 1, 2, true, 3, 4, false),
                new PricingSpec(Integer.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, -2, 2, Long.MIN_VALUE),
                new OptionSpec(Integer.MIN_VALUE, null, null, Long.MIN_VALUE, -1),
                new OptionSpec(-1, huge, OptionRight.CALL, 0, Long.MAX_VALUE),
                new OptionSpec(0, new BigDecimal("6E+4"), OptionRight.PUT, 1, 0),
                Collections.<MarginBracket>emptyList(),
                Arrays.asList(null, new MarginBracket(Long.MIN_VALUE, Long.MAX_VALUE, -1), null),
                Collections.singletonList(null));
        for (Object spec : specs) {
            Command c = new Command();
            c.type = CommandType.ADD_INSTRUMENT;
            if (spec instanceof InstrumentSpec s) {
                c.instrumentSpec = s;
            } else if (spec instanceof AssetSpec s) {
                c.assetSpec = s;
            } else if (spec instanceof IndexSpec s) {
                c.indexSpec = s;
            } else if (spec instanceof PricingSpec s) {
                c.pricingSpec = s;
            } else if (spec instanceof OptionSpec s) {
                c.optionSpec = s;
            } else {
                @SuppressWarnings("unchecked")
                List<MarginBracket> brackets = (List<MarginBracket>) spec;
                c.marginBrackets = brackets;
            }
            assertSameFields(c, codec.decode(codec.encode(c), dirty()));
        }
    }

    @Test
    void nullEnumsWhoseDefaultIsNotNullRoundTrip() {
        // triggerSource, postOnly and selfTradePrevention default to a constant, so null is a value that must travel.
        Command c = new Command();
        c.triggerSource = null;
        c.postOnly = null;
        c.selfTradePrevention = null;
        c.confidence = 0;
        Command decoded = codec.decode(codec.encode(c), new Command());
        assertSameFields(c, decoded);
        assertNull(decoded.triggerSource);
    }

    @Test
    void decodeResetsTheTargetAndReturnsIt() {
        Command into = dirty();
        Command c = new Command().cancel(1, 2, 3);
        assertSame(into, codec.decode(codec.encode(c), into));
        assertSameFields(c, into);
        assertEnvelopeCleared(into);
    }

    @Test
    void encodeAtAnOffsetOfAnOffHeapBufferWritesOnlyItsRange() {
        Command c = everyFieldSet();
        byte[] expected = codec.encode(c);
        int offset = 13;
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(offset + expected.length + 7));
        buffer.setMemory(0, buffer.capacity(), (byte) 0x5A);
        assertEquals(expected.length, codec.encode(c, buffer, offset, expected.length));
        byte[] written = new byte[expected.length];
        buffer.getBytes(offset, written);
        assertArrayEquals(expected, written);
        for (int i = 0; i < buffer.capacity(); i++) {
            if (i < offset || i >= offset + expected.length) {
                assertEquals((byte) 0x5A, buffer.getByte(i), "byte " + i + " outside the encoded range was written");
            }
        }
        assertSameFields(c, codec.decode(buffer, offset, expected.length, dirty()));
    }

    // ------------------------------------------------------------------------------------------- decoder refusals

    @Test
    void everyTruncationOfAValidEncodingIsRefused() {
        byte[] bytes = codec.encode(everyFieldSet());
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int length = 0; length < bytes.length; length++) {
            // The full encoding stays in the buffer: the decoder must stop at the given length, not at the buffer's end.
            int n = length;
            assertThrows(CodecException.class, () -> codec.decode(buffer, 0, n, new Command()), "length " + n);
            assertThrows(CodecException.class, () -> codec.decode(Arrays.copyOf(bytes, n), new Command()));
        }
    }

    @Test
    void everySingleBitFlipOfAValidEncodingDecodesOrIsRefused() {
        // Exhaustive over one rich encoding; the properties do random multi-byte corruption of random commands.
        byte[] bytes = codec.encode(everyFieldSet());
        // Re-encoding into one buffer: the allocating encode(Command) would cost a MAX_PAYLOAD array per flip.
        UnsafeBuffer again = new UnsafeBuffer(new byte[CommandCodec.MAX_PAYLOAD]);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                Command decoded = codec.decode(flipped, new Command());
                int length = codec.encode(decoded, again, 0, CommandCodec.MAX_PAYLOAD);
                assertSameFields(decoded, codec.decode(again, 0, length, new Command()));
            } catch (CodecException refused) {
                // The one permitted failure; any other exception escapes and fails the test.
            }
        }
    }

    @Test
    void appendedBytesAreRefused() {
        byte[] bytes = codec.encode(everyFieldSet());
        assertThrows(CodecException.class, () -> codec.decode(Arrays.copyOf(bytes, bytes.length + 1), new Command()));
    }

    @Test
    void wrongFormatVersionIsRefused() {
        byte[] bytes = codec.encode(new Command().cancel(1, 2, 3));
        for (int version : new int[] {0, 2, 0x7F, 0x80, 0xFF}) {
            byte[] copy = bytes.clone();
            copy[0] = (byte) version;
            CodecException e = assertThrows(CodecException.class, () -> codec.decode(copy, new Command()));
            assertTrue(e.getMessage().contains("version"), e.getMessage());
        }
    }

    @Test
    void rangesOutsideTheBufferAreRefused() {
        UnsafeBuffer buffer = new UnsafeBuffer(codec.encode(new Command().cancel(1, 2, 3)));
        int cap = buffer.capacity();
        int[][] ranges = {{-1, 1}, {0, -1}, {0, cap + 1}, {cap, 1}, {cap + 1, 0}, {Integer.MAX_VALUE, Integer.MAX_VALUE},
            {1, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 0}};
        for (int[] r : ranges) {
            assertThrows(CodecException.class, () -> codec.decode(buffer, r[0], r[1], new Command()),
                    "offset " + r[0] + " length " + r[1]);
        }
    }

    @Test
    void wellFormedPayloadLongerThanTheMaximumIsRefused() {
        // Hand-built, since the encoder will not write it: an asset spec whose symbol makes the payload one byte
        // too long, while every length inside it is consistent. Only the size limit can refuse it.
        byte[] atMax = assetSymbolPayload(CommandCodec.MAX_PAYLOAD);
        assertEquals(CommandCodec.MAX_PAYLOAD, atMax.length);
        assertEquals(CommandCodec.MAX_PAYLOAD - 12, codec.decode(atMax, new Command()).assetSpec.symbol().length());
        byte[] tooLong = assetSymbolPayload(CommandCodec.MAX_PAYLOAD + 1);
        assertEquals(CommandCodec.MAX_PAYLOAD + 1, tooLong.length);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(tooLong, new Command()));
        assertTrue(e.getMessage().contains("maximum"), e.getMessage());
    }

    /** Version, null type, mask (4 bytes), presence, id, 3-byte length, symbol, scale: 12 bytes around the symbol. */
    private static byte[] assetSymbolPayload(int total) {
        int symbol = total - 12;
        return header(F_ASSET_SPEC).raw(1).zigzag(1).varint(symbol + 1L).raw(repeat('x', symbol)).zigzag(6).bytes();
    }

    @Test
    void craftedHostileInputsAreRefusedWithCodecException() {
        int types = CommandType.values().length;
        List<byte[]> hostile = List.of(
                new byte[0],
                new Bytes().version().varint(types + 1).varint(0).bytes(),                  // type ordinal out of range
                new Bytes().version().varint(Long.MIN_VALUE).varint(0).bytes(),            // type varint huge
                new Bytes().version().varint(0).varint(1L << FIELD_COUNT).bytes(),         // unknown presence bit
                header(F_ACCOUNT).raw(repeat(0x80, 10)).raw(0).bytes(),                     // varint of 11 bytes
                header(F_ACCOUNT).raw(repeat(0xFF, 9)).raw(2).bytes(),                      // varint beyond 64 bits
                header(F_INSTRUMENT).zigzag(Integer.MAX_VALUE + 1L).bytes(),                // int field overflows
                header(F_REDUCE_ONLY).raw(2).bytes(),                                       // boolean byte 2
                header(F_ASSET_SPEC).raw(2).bytes(),                                        // presence byte 2
                header(F_ASSET_SPEC).raw(1).zigzag(0).varint(Integer.MAX_VALUE).bytes(),    // string longer than input
                header(F_ASSET_SPEC).raw(1).zigzag(0).varint(-1L).bytes(),                  // string length wraps
                header(F_ASSET_SPEC).raw(1).zigzag(0).varint(3).raw(0xC3, 0x28).zigzag(0).bytes(), // bad UTF-8
                header(F_ASSET_SPEC).raw(1).zigzag(0).varint(4).raw(0xED, 0xA0, 0x80).zigzag(0).bytes(), // surrogate
                header(F_MARGIN_BRACKETS).varint(Integer.MAX_VALUE).bytes(),                // huge count: no OOM
                header(F_MARGIN_BRACKETS).varint(Long.MIN_VALUE).bytes(),                   // count wraps
                header(F_MARGIN_BRACKETS).varint(-1L).bytes(),
                header(F_MARGIN_BRACKETS).varint(2).raw(3).bytes(),                         // bracket presence 3
                header(F_INSTRUMENT_SPEC).raw(1).zigzag(0).raw(0, 0, 0, 0).zigzag(0)
                        .varint(1).bytes(),                                                 // zero-byte decimal
                header(F_INSTRUMENT_SPEC).raw(1).zigzag(0).raw(0).varint(KIND_OUT_OF_RANGE).bytes(),
                header(F_INSTRUMENT_SPEC).raw(1).zigzag(0).raw(0, 0, 0, 0).zigzag(0)
                        .varint(2).raw(1).zigzag(Integer.MIN_VALUE - 1L).bytes(),           // decimal scale overflows
                header(F_INDEX_SPEC).raw(1).zigzag(0).raw(0).zigzag(0).varint(2).raw(0).bytes(), // null source name
                header(F_INDEX_SPEC).raw(1).zigzag(0).raw(0).zigzag(0).varint(0x7FFF_FFFF).bytes(),
                header(F_OPTION_SPEC).raw(1).zigzag(0).varint(2).raw(1).zigzag(0)
                        .varint(RIGHT_OUT_OF_RANGE).bytes(),                                // option right out of range
                header(F_OPTION_SPEC).raw(1).zigzag(Integer.MAX_VALUE + 1L).bytes());      // index id overflows
        for (int i = 0; i < hostile.size(); i++) {
            byte[] bytes = hostile.get(i);
            assertThrows(CodecException.class, () -> codec.decode(bytes, new Command()), "hostile input #" + i);
        }
    }

    @Test
    void codecIsReusableAfterARefusal() {
        // The cursor lives in fields; a refusal half-way must not poison the next call on the same instance.
        Command c = everyFieldSet();
        byte[] good = codec.encode(c);
        assertThrows(CodecException.class, () -> codec.decode(Arrays.copyOf(good, good.length / 2), new Command()));
        assertSameFields(c, codec.decode(good, new Command()));
        assertThrows(CodecException.class, () -> codec.encode(c, new UnsafeBuffer(new byte[8]), 0, 8));
        assertArrayEquals(good, codec.encode(c));
    }

    // ------------------------------------------------------------------------------------------- encoder refusals

    @Test
    void maxLengthSmallerThanTheEncodingIsRefusedAndExactFits() {
        Command c = everyFieldSet();
        byte[] expected = codec.encode(c);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[expected.length + 16]);
        for (int max = -1; max < expected.length; max++) {
            int m = max;
            assertThrows(CodecException.class, () -> codec.encode(c, buffer, 5, m), "maxLength " + m);
        }
        assertEquals(expected.length, codec.encode(c, buffer, 5, expected.length));
        assertEquals(expected.length, codec.encode(c, buffer, 5, Integer.MAX_VALUE));
    }

    @Test
    void bufferSmallerThanMaxLengthIsRefused() {
        Command c = everyFieldSet();
        int length = codec.encode(c).length;
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[length + 3]);
        assertThrows(CodecException.class, () -> codec.encode(c, buffer, 4, Integer.MAX_VALUE));
        assertThrows(CodecException.class, () -> codec.encode(c, buffer, buffer.capacity(), length));
        assertThrows(CodecException.class, () -> codec.encode(c, buffer, buffer.capacity() + 1, length));
        assertThrows(CodecException.class, () -> codec.encode(c, buffer, -1, length));
        assertEquals(length, codec.encode(c, buffer, 3, Integer.MAX_VALUE));
    }

    @Test
    void hugeStringIsRefused() {
        Command c = new Command();
        c.assetSpec = new AssetSpec(1, "x".repeat(CommandCodec.MAX_PAYLOAD), 6);
        assertThrows(CodecException.class, () -> codec.encode(c));
        // Even when the caller offers a larger buffer and length: MAX_PAYLOAD caps what the encoder writes.
        UnsafeBuffer large = new UnsafeBuffer(new byte[2 * CommandCodec.MAX_PAYLOAD]);
        assertThrows(CodecException.class, () -> codec.encode(c, large, 0, Integer.MAX_VALUE));
    }

    @Test
    void hugeMarginBracketListIsRefused() {
        Command c = new Command();
        // Each bracket takes at least 4 bytes (presence byte + three varints), so this list cannot fit MAX_PAYLOAD.
        c.marginBrackets = Collections.nCopies(CommandCodec.MAX_PAYLOAD / 4, new MarginBracket(1, 2, 3));
        assertThrows(CodecException.class, () -> codec.encode(c));
    }

    @Test
    void commandOfExactlyMaxPayloadRoundTripsAndOneMoreByteIsRefused() {
        Command c = new Command();
        c.assetSpec = new AssetSpec(1, "", 6);
        int overhead = codec.encode(c).length;
        // The length prefix of a ~1 MiB string is a 3-byte varint instead of 1 for the empty one.
        int fill = CommandCodec.MAX_PAYLOAD - overhead - 2;
        c.assetSpec = new AssetSpec(1, "é".repeat(fill / 2) + "x".repeat(fill % 2), 6);
        byte[] bytes = codec.encode(c);
        assertEquals(CommandCodec.MAX_PAYLOAD, bytes.length);
        assertSameFields(c, codec.decode(bytes, new Command()));
        c.assetSpec = new AssetSpec(1, c.assetSpec.symbol() + "x", 6);
        assertThrows(CodecException.class, () -> codec.encode(c));
    }

    @Test
    void unpairedSurrogateIsRefusedNotReplaced() {
        // A replacement character would make the journal replay a different command from the one applied.
        for (String bad : List.of("\uD800", "a\uDC00b", "\uDE00\uD83D")) {
            Command c = new Command();
            c.assetSpec = new AssetSpec(1, bad, 6);
            assertThrows(CodecException.class, () -> codec.encode(c), bad);
        }
    }

    // ----------------------------------------------------------------------------------------- shared with properties

    /** Every public instance field the codec must carry: all but the envelope and the constants. */
    static List<Field> codecFields() {
        return Arrays.stream(Command.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .filter(f -> !ENVELOPE.contains(f.getName()))
                .toList();
    }

    /** Equal field by field (records and lists by {@code equals}), naming the first field that differs. */
    static void assertSameFields(Command expected, Command actual) {
        for (Field f : codecFields()) {
            Object want = get(f, expected);
            Object got = get(f, actual);
            if (!Objects.deepEquals(want, got)) {
                fail("field " + f.getName() + ": expected <" + want + "> but was <" + got + ">\n  expected "
                        + describe(expected) + "\n  actual   " + describe(actual));
            }
        }
    }

    static void assertEnvelopeCleared(Command decoded) {
        assertEquals(0, decoded.sequence, "sequence is the record header's, the decoder leaves it 0");
        assertEquals(0, decoded.timestamp, "timestamp is the record header's, the decoder leaves it 0");
    }

    /** All fields, unlike {@link Command#toString()}, which leaves the specs out. */
    static String describe(Command c) {
        StringBuilder sb = new StringBuilder("Command{");
        for (Field f : Command.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                Object value = get(f, c);
                sb.append(f.getName()).append('=').append(value instanceof byte[] b ? Arrays.toString(b) : value).append(' ');
            }
        }
        return sb.append('}').toString();
    }

    /** A target full of leftovers, to show that decode resets it rather than merging into it. */
    static Command dirty() {
        Command c = everyFieldSet();
        c.sequence = 123;
        c.timestamp = 456;
        return c;
    }

    static Object get(Field f, Command c) {
        try {
            return f.get(c);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static void set(Field f, Command c, Object value) {
        try {
            f.set(c, value);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A command whose every codec field holds a non-default value chosen by the field's type, distinct per field so
     * that two fields swapped on the wire are caught. A field of a type this method does not know fails the test:
     * teach it a value here, and the codec the field.
     */
    static Command everyFieldSet() {
        Command defaults = new Command();
        Command c = new Command();
        List<Field> fields = codecFields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            set(f, c, distinctValue(f, i, get(f, defaults)));
        }
        c.sequence = 99;
        c.timestamp = 98;
        return c;
    }

    private static Object distinctValue(Field f, int i, Object defaultValue) {
        Class<?> type = f.getType();
        if (type == long.class) {
            return switch (i % 4) {
                case 0 -> Long.MIN_VALUE + i;
                case 1 -> Long.MAX_VALUE - i;
                case 2 -> -1_000_000_007L * (i + 2);
                default -> 0x0123_4567_89AB_CDEFL + i;
            };
        }
        if (type == int.class) {
            return switch (i % 4) {
                case 0 -> Integer.MIN_VALUE + i;
                case 1 -> Integer.MAX_VALUE - i;
                case 2 -> -70_001 * (i + 2);
                default -> 0x0ABC_DEF0 + i;
            };
        }
        if (type == boolean.class) {
            return !(Boolean) defaultValue;
        }
        if (type == String.class) {
            return "fält-" + i + "-✓-\uD83D\uDE00";
        }
        if (type == byte[].class) {
            byte[] bytes = new byte[20 + i % 46];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) (k * 31 + i);
            }
            return bytes;
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            // A non-first constant: ordinal 0 must not be the only one that survives the trip.
            for (int k = constants.length - 1; k > 0; k--) {
                if (constants[k] != defaultValue) {
                    return constants[k];
                }
            }
            return null;
        }
        if (type == InstrumentSpec.class) {
            return validInstrumentSpec();
        }
        if (type == AssetSpec.class) {
            AssetSpec spec = new AssetSpec(9, "USDÇ-€", 8);
            assertNull(spec.validate());
            return spec;
        }
        if (type == IndexSpec.class) {
            return validIndexSpec();
        }
        if (type == PricingSpec.class) {
            PricingSpec spec = new PricingSpec(5, 120_000_000_000L, 4 * PricingSpec.HOUR_NANOS, 30_000_000_000L,
                    50_000_000_000L, -100_000, 400_000, 3_000_000, 7_500);
            assertNull(spec.validate());
            return spec;
        }
        if (type == OptionSpec.class) {
            // A put (non-first right) with a fractional strike and a non-default window and volatility.
            OptionSpec spec = new OptionSpec(3, new BigDecimal("65000.5"), OptionRight.PUT, 900_000_000_000L, 650_000);
            assertNull(spec.validate());
            return spec;
        }
        if (type == OptionMarginSpec.class) {
            // Every value distinct, an uneven grid, and a shock with both parts set.
            return new OptionMarginSpec(150_001, 100_002, 20_003, 500_004, List.of(-250_000L, -5L, 0L, 7L, 300_000L),
                    List.of(new OptionMarginSpec.Shock(-300_000, -20_000), new OptionMarginSpec.Shock(0, 0),
                            new OptionMarginSpec.Shock(600_000, 50_000)), 10_005, 31, 300_006, 10_007, 100_000_008L,
                    20_009, 200_000_010L, 40_011, 800_012);
        }
        if (type == io.meridian.model.GovernanceSpec.class) {
            return new io.meridian.model.GovernanceSpec(List.of("0x00000000000000000000000000000000000000aa",
                    "0xAbCdEf0000000000000000000000000000000001"), 2, 3_600_000);
        }
        if (type == io.meridian.model.RiskBounds.class) {
            return new io.meridian.model.RiskBounds(500_001, 3_000_002, 1_000_003, -4, Long.MIN_VALUE);
        }
        if (type == List.class && elementType(f) == MarginBracket.class) {
            return new ArrayList<>(List.of(new MarginBracket(0, 5_000, 10_000),
                    new MarginBracket(2_000_000_000_000L, 10_000, 20_000),
                    new MarginBracket(Long.MAX_VALUE / 2, 250_000, 500_000)));
        }
        return fail("Command." + f.getName() + " has type " + f.getGenericType() + ", unknown to this test: give it a "
                + "value in distinctValue (and a generator in CommandCodecProperties), and make sure the codec carries it");
    }

    private static InstrumentSpec validInstrumentSpec() {
        // A dated future (non-first kind, non-zero expiry) with a maker rebate and non-ASCII in its symbol.
        InstrumentSpec spec = new InstrumentSpec(11, "BTC-27MAR26 ₿ 期货", InstrumentKind.DATED_FUTURE, "BTC", "USDC",
                6, new BigDecimal("0.5"), new BigDecimal("0.0001"), new BigDecimal("1.00"), 2, 500_000, 180_000_000,
                25_000, 30_000, -100, 400, 1_774_569_600_000_000_000L);
        assertNull(spec.validate());
        return spec;
    }

    private static IndexSpec validIndexSpec() {
        IndexSpec spec = new IndexSpec(5, "ETH-USD ✓", 4, List.of("binance", "coinbase", "kraken", "okx-ü"),
                List.of(3L, 2L, 1L, 0L), 30_000_000_000L, 40_000, true, 2, 80_000, 15_000, true, 300_000_000_000L,
                25_000, true);
        assertNull(spec.validate());
        return spec;
    }

    private static Field field(String name) {
        try {
            return Command.class.getField(name);
        } catch (NoSuchFieldException e) {
            return fail("Command has no field " + name);
        }
    }

    private static long readVarint(byte[] bytes, int at) {
        long result = 0;
        for (int i = at, shift = 0; ; i++, shift += 7) {
            result |= (long) (bytes[i] & 0x7F) << shift;
            if (bytes[i] >= 0) {
                return result;
            }
        }
    }

    static Type elementType(Field f) {
        Type generic = f.getGenericType();
        return generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
    }

    // --------------------------------------------------------------------------------------- hand-crafted inputs

    /** Version, a null type and a presence mask of the one given field. */
    private static Bytes header(int field) {
        return new Bytes().version().varint(0).varint(1L << field);
    }

    private static int[] repeat(int value, int count) {
        int[] out = new int[count];
        Arrays.fill(out, value);
        return out;
    }

    /** Writes the codec's primitives independently of it, so hostile inputs can be built field by field. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes version() {
            out.write(CommandCodec.FORMAT_VERSION);
            return this;
        }

        Bytes raw(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Bytes varint(long v) {
            long value = v;
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        Bytes zigzag(long v) {
            return varint((v << 1) ^ (v >> 63));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
