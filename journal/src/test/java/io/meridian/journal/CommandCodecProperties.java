package io.meridian.journal;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.MarginBracket;
import io.meridian.model.PricingSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.meridian.journal.CommandCodecTest.assertEnvelopeCleared;
import static io.meridian.journal.CommandCodecTest.assertSameFields;
import static io.meridian.journal.CommandCodecTest.describe;
import static io.meridian.journal.CommandCodecTest.dirty;
import static io.meridian.journal.CommandCodecTest.elementType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Property tests of {@link CommandCodec}. Commands are random subsets of {@link Command}'s public fields (found by
 * reflection, so a new field of a known type is generated without touching this class) set to random values biased
 * to the edges (0, -1, the varint and zig-zag byte boundaries, MIN and MAX), with random nested specs: valid ones
 * and ones the engine would reject, nulls inside and out, non-ASCII and supplementary-plane strings, decimals of any
 * scale. Corrupted inputs are derived from those encodings or are plain noise. jqwik seeds its own {@link
 * java.util.Random} and prints the seed and the shrunk sample of a failure; rerun with {@code @Property(seed = ...)}.
 *
 * <p>The one failure the decoder may report is {@link CodecException}; the fuzz properties catch only that, so any
 * other exception (IndexOutOfBounds, NegativeArraySize, OutOfMemoryError, a model constructor's
 * IllegalArgumentException) escapes and fails the property.
 */
class CommandCodecProperties {
    private static final int TRIES = 1000;
    /** Encoding into a reused buffer: {@link CommandCodec#encode(Command)} allocates MAX_PAYLOAD per call. */
    private static final UnsafeBuffer SCRATCH = new UnsafeBuffer(new byte[CommandCodec.MAX_PAYLOAD]);
    private static final byte SENTINEL = (byte) 0xA5;

    private final CommandCodec codec = new CommandCodec();

    // ------------------------------------------------------------------------------------------------- round trip

    @Property(tries = TRIES)
    void randomCommandsRoundTripAtAnyOffset(@ForAll("commands") Sample sample,
                                            @ForAll @IntRange(max = 100) int offset,
                                            @ForAll @IntRange(max = 40) int slack,
                                            @ForAll boolean offHeap,
                                            @ForAll boolean exactMaxLength) {
        Command c = sample.command();
        byte[] expected = codec.encode(c);

        int capacity = offset + expected.length + slack;
        UnsafeBuffer buffer = offHeap ? new UnsafeBuffer(ByteBuffer.allocateDirect(capacity))
                : new UnsafeBuffer(new byte[capacity]);
        buffer.setMemory(0, capacity, SENTINEL);
        int maxLength = exactMaxLength ? expected.length : Integer.MAX_VALUE;
        int written = codec.encode(c, buffer, offset, maxLength);

        assertEquals(expected.length, written, "both encode overloads write the same bytes");
        byte[] inPlace = new byte[written];
        buffer.getBytes(offset, inPlace);
        assertArrayEquals(expected, inPlace);
        for (int i = 0; i < capacity; i++) {
            if (i < offset || i >= offset + written) {
                assertEquals(SENTINEL, buffer.getByte(i), "byte " + i + " outside the encoded range was written");
            }
        }

        Command decoded = codec.decode(buffer, offset, written, dirty());
        assertSameFields(c, decoded);
        assertEnvelopeCleared(decoded);
        assertSameFields(c, codec.decode(expected, new Command()));
        // One encoding per command: what the journal stores does not depend on how the command was produced.
        assertArrayEquals(expected, encode(decoded));
    }

    @Property(tries = TRIES)
    void clientOrderTextsRoundTripAndAddOnlyTheirOwnField(@ForAll("clientOrderTexts") String text,
                                                          @ForAll("commands") Sample sample) {
        Command c = sample.command();
        c.clientOrderText = null;
        byte[] without = codec.encode(c);
        c.clientOrderText = text;
        c.clientOrderId = io.meridian.auth.ClientOrderIds.key(text);
        Command decoded = codec.decode(codec.encode(c), dirty());
        assertSameFields(c, decoded);
        assertEquals(text, decoded.clientOrderText);
        assertEquals(io.meridian.auth.ClientOrderIds.key(text), decoded.clientOrderId);
        // Without the text the command encodes as a build before the field did, and decodes without one.
        c.clientOrderText = null;
        Command old = codec.decode(without, dirty());
        assertEquals(null, old.clientOrderText);
    }

    @Provide
    Arbitrary<String> clientOrderTexts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("AZaz09._:/-").ofMinLength(1).ofMaxLength(36),
                Arbitraries.randomValue(r -> new java.util.UUID(r.nextLong(), r.nextLong()).toString()),
                Arbitraries.longs().between(1, (1L << 62) - 1).map(n -> Long.toString(n)));
    }

    @Property(tries = TRIES)
    void anyStringEncodesExactlyOrIsRefusedWhenNotValidUtf16(@ForAll("rawUtf16") String symbol) {
        Command c = new Command();
        c.assetSpec = new AssetSpec(1, symbol, 6);
        boolean wellFormed = symbol.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE
                && cp <= Character.MAX_SURROGATE);
        if (wellFormed) {
            assertSameFields(c, codec.decode(encode(c), new Command()));
        } else {
            assertThrows(CodecException.class, () -> encode(c));
        }
    }

    // ------------------------------------------------------------------------------------------------------- fuzz

    @Property(tries = TRIES)
    void noiseDecodesOrIsRefused(@ForAll("noise") byte[] bytes) {
        decodeOrRefuse(bytes);
    }

    @Property(tries = TRIES)
    void corruptedEncodingsDecodeOrAreRefused(@ForAll("commands") Sample sample,
                                              @ForAll("mutations") List<Mutation> mutations) {
        byte[] bytes = encode(sample.command());
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        decodeOrRefuse(bytes);
    }

    @Property(tries = TRIES)
    void truncatedEncodingsAreRefused(@ForAll("commands") Sample sample,
                                      @ForAll @IntRange(max = Integer.MAX_VALUE) int cut) {
        byte[] bytes = encode(sample.command());
        int length = cut % bytes.length;
        // Decoded in place, the rest of the encoding still in the buffer: the decoder must honour the length given.
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertThrows(CodecException.class, () -> codec.decode(buffer, 0, length, new Command()));
        assertThrows(CodecException.class, () -> codec.decode(Arrays.copyOf(bytes, length), new Command()));
    }

    @Property(tries = TRIES)
    void appendedBytesAreRefused(@ForAll("commands") Sample sample, @ForAll @Size(min = 1, max = 16) byte[] tail) {
        byte[] bytes = encode(sample.command());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + tail.length);
        System.arraycopy(tail, 0, longer, bytes.length, tail.length);
        assertThrows(CodecException.class, () -> codec.decode(longer, new Command()));
    }

    @Property(tries = TRIES)
    void wrongFormatVersionIsRefused(@ForAll("commands") Sample sample, @ForAll byte version) {
        byte[] bytes = encode(sample.command());
        bytes[0] = version == CommandCodec.FORMAT_VERSION ? (byte) (version + 1) : version;
        assertThrows(CodecException.class, () -> codec.decode(bytes, new Command()));
    }

    @Property(tries = TRIES)
    void anyRangeOfAnyBufferDecodesOrIsRefused(@ForAll("noise") byte[] bytes,
                                               @ForAll @IntRange(min = -8, max = 300) int offset,
                                               @ForAll @IntRange(min = -8, max = 300) int length) {
        try {
            codec.decode(new UnsafeBuffer(bytes), offset, length, new Command());
        } catch (CodecException refused) {
            // The one permitted failure: a range outside the buffer is refused like corrupt bytes.
        }
    }

    /**
     * Decodes or accepts a {@link CodecException}. An accepted input must be a command like any other: the encoder
     * writes it and it comes back equal, so replaying a journal that was accepted once never fails later.
     */
    private void decodeOrRefuse(byte[] bytes) {
        Command decoded;
        try {
            decoded = codec.decode(bytes, new Command());
        } catch (CodecException refused) {
            return;
        }
        assertSameFields(decoded, codec.decode(encode(decoded), new Command()));
    }

    private byte[] encode(Command c) {
        int length = codec.encode(c, SCRATCH, 0, CommandCodec.MAX_PAYLOAD);
        byte[] bytes = new byte[length];
        SCRATCH.getBytes(0, bytes);
        return bytes;
    }

    // ------------------------------------------------------------------------------------------------ generators

    /** A command with a readable description: {@link Command#toString()} leaves the specs out of jqwik's report. */
    record Sample(Command command) {
        @Override
        public String toString() {
            return describe(command);
        }
    }

    /** One public field of {@link Command} and the value to put in it. */
    private record Assignment(Field field, Object value) {
    }

    @Provide
    Arbitrary<Sample> commands() {
        // Envelope fields are assigned too (the codec must ignore them); the static constant is not a field to set.
        List<Arbitrary<Assignment>> perField = new ArrayList<>();
        for (Field f : Command.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                perField.add(valuesFor(f).map(v -> new Assignment(f, v)));
            }
        }
        Arbitrary<List<Assignment>> someFields = Arbitraries.oneOf(perField).list().ofMaxSize(perField.size() + 8);
        Arbitrary<List<Assignment>> allFields = Combinators.combine(perField).as(list -> list);
        return Arbitraries.frequencyOf(Tuple.of(3, someFields), Tuple.of(1, allFields))
                .map(assignments -> {
                    Command c = new Command();
                    for (Assignment a : assignments) {
                        CommandCodecTest.set(a.field(), c, a.value());
                    }
                    return new Sample(c);
                });
    }

    /** Values for one field, chosen by its type; a type without a generator fails loudly rather than going untested. */
    private static Arbitrary<Object> valuesFor(Field f) {
        Class<?> type = f.getType();
        if (type == long.class) {
            return longs().asGeneric();
        }
        if (type == int.class) {
            return ints().asGeneric();
        }
        if (type == boolean.class) {
            return Arbitraries.of(true, false).asGeneric();
        }
        if (type == String.class) {
            return strings().asGeneric();
        }
        if (type == byte[].class) {
            // Addresses, keys and signatures: empty, usual lengths and the codec's maximum; or absent.
            return Arbitraries.bytes().array(byte[].class).ofMaxSize(128).injectNull(0.2).asGeneric();
        }
        if (type.isEnum()) {
            return Arbitraries.of(type.getEnumConstants()).injectNull(0.15).asGeneric();
        }
        if (type == InstrumentSpec.class) {
            return instrumentSpecs().injectNull(0.1).asGeneric();
        }
        if (type == AssetSpec.class) {
            return Combinators.combine(ints(), strings(), ints()).as(AssetSpec::new).injectNull(0.1).asGeneric();
        }
        if (type == IndexSpec.class) {
            return indexSpecs().injectNull(0.1).asGeneric();
        }
        if (type == PricingSpec.class) {
            return pricingSpecs().injectNull(0.1).asGeneric();
        }
        if (type == OptionSpec.class) {
            return optionSpecs().injectNull(0.1).asGeneric();
        }
        if (type == OptionMarginSpec.class) {
            return optionMarginSpecs().injectNull(0.1).asGeneric();
        }
        if (type == io.meridian.model.GovernanceSpec.class) {
            Arbitrary<List<String>> admins = strings().filter(java.util.Objects::nonNull).list().ofMaxSize(20)
                    .injectNull(0.1);
            return Combinators.combine(admins, ints(), longs()).as(io.meridian.model.GovernanceSpec::new)
                    .injectNull(0.1).asGeneric();
        }
        if (type == io.meridian.model.RiskBounds.class) {
            return longs().list().ofSize(5).map(l -> new io.meridian.model.RiskBounds(l.get(0), l.get(1), l.get(2),
                    l.get(3), l.get(4))).injectNull(0.1).asGeneric();
        }
        if (type == List.class && elementType(f) == MarginBracket.class) {
            return Combinators.combine(longs(), longs(), longs()).as(MarginBracket::new).injectNull(0.1)
                    .list().ofMaxSize(6).injectNull(0.2).asGeneric();
        }
        throw new IllegalStateException("no generator for Command." + f.getName() + " of type " + f.getGenericType());
    }

    /** Full range, with the values where encodings change shape mixed in: zig-zag and varint byte boundaries. */
    private static Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.of(0L, 1L, -1L, 63L, -64L, 64L, -65L, 8191L, -8192L, 1L << 62, -(1L << 62),
                        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1)));
    }

    private static Arbitrary<Integer> ints() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers()),
                Tuple.of(1, Arbitraries.of(0, 1, -1, 63, -64, 64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE)));
    }

    /** Well-formed UTF-16 across all of Unicode: ASCII, controls, BMP, private use and supplementary planes; or null. */
    private static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, Character.MIN_SURROGATE - 1)),
                Tuple.of(1, Arbitraries.integers().between(Character.MAX_SURROGATE + 1, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT,
                        Character.MAX_CODE_POINT)));
        return codePoints.list().ofMaxSize(20)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()))
                .injectNull(0.1);
    }

    /** Any chars, lone and reversed surrogates included; the encoder must refuse those rather than replace them. */
    @Provide
    Arbitrary<String> rawUtf16() {
        return Arbitraries.strings().withCharRange('a', 'e').withCharRange('\uD7FE', '\uE001').withChars("é€😀")
                .ofMaxLength(12);
    }

    private static Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bigIntegers().between(BigInteger.valueOf(-1_000_000), BigInteger.valueOf(1_000_000))),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TWO.pow(300).negate(), BigInteger.TWO.pow(300))));
        Arbitrary<Integer> scales = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(-20, 20)),
                Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE)));
        return Combinators.combine(unscaled, scales).as(BigDecimal::new).injectNull(0.1);
    }

    private static Arbitrary<InstrumentSpec> instrumentSpecs() {
        Arbitrary<InstrumentSpec> anything = Combinators.combine(ints(), strings(),
                        Arbitraries.of(InstrumentKind.class).injectNull(0.1), strings(), strings(), ints(),
                        decimals().list().ofSize(3), longs().list().ofSize(8))
                .as((id, symbol, kind, base, settlement, scale, d, l) -> new InstrumentSpec(id, symbol, kind, base,
                        settlement, scale, d.get(0), d.get(1), d.get(2), l.get(0), l.get(1), l.get(2), l.get(3),
                        l.get(4), l.get(5), l.get(6), l.get(7)));
        // What ADD_INSTRUMENT really carries: the factory's perpetuals with real tick and lot sizes.
        Arbitrary<InstrumentSpec> realistic = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                        Arbitraries.of("0.1", "0.5", "1", "0.01"), Arbitraries.of("0.001", "0.01", "1"))
                .as((id, tick, lot) -> InstrumentSpec.perpetual(id, "PERP-" + id, "BTC", "USDC", tick, lot));
        return Arbitraries.oneOf(anything, realistic);
    }

    private static Arbitrary<IndexSpec> indexSpecs() {
        Arbitrary<List<String>> sources = strings().filter(s -> s != null).list().ofMaxSize(8).injectNull(0.1);
        Arbitrary<List<Long>> weights = longs().list().ofMaxSize(8).injectNull(0.3);
        Arbitrary<IndexSpec> anything = Combinators.combine(ints(), strings(), ints(), sources, weights,
                        longs().list().ofSize(6), Arbitraries.of(true, false).list().ofSize(3), ints())
                .as((id, symbol, decimals, s, w, l, b, minFresh) -> new IndexSpec(id, symbol, decimals, s, w, l.get(0),
                        l.get(1), b.get(0), minFresh, l.get(2), l.get(3), b.get(1), l.get(4), l.get(5), b.get(2)));
        Arbitrary<IndexSpec> realistic = Arbitraries.integers().between(0, IndexSpec.MAX_INDEXES - 1)
                .map(id -> IndexSpec.of(id, "IDX-" + id, 2, "binance", "coinbase", "kraken"));
        return Arbitraries.oneOf(anything, realistic);
    }

    private static Arbitrary<OptionSpec> optionSpecs() {
        Arbitrary<OptionSpec> anything = Combinators.combine(ints(), decimals(),
                        Arbitraries.of(OptionRight.class).injectNull(0.1), longs(), longs())
                .as(OptionSpec::new);
        // What a chain generates: whole strikes on a grid, Deribit's window, a plausible volatility.
        Arbitrary<OptionSpec> realistic = Combinators.combine(Arbitraries.integers().between(0, IndexSpec.MAX_INDEXES - 1),
                        Arbitraries.integers().between(1, 400), Arbitraries.of(OptionRight.class))
                .as((id, step, right) -> OptionSpec.of(id, Integer.toString(step * 500), right));
        return Arbitraries.oneOf(anything, realistic);
    }

    private static Arbitrary<OptionMarginSpec> optionMarginSpecs() {
        Arbitrary<List<Long>> moves = longs().list().ofMaxSize(12).injectNull(0.1);
        Arbitrary<List<OptionMarginSpec.Shock>> shocks = Combinators.combine(longs(), longs())
                .as(OptionMarginSpec.Shock::new).list().ofMaxSize(6).injectNull(0.1);
        return Combinators.combine(moves, shocks, longs().list().ofSize(13))
                .as((m, s, l) -> new OptionMarginSpec(l.get(0), l.get(1), l.get(2), l.get(3), m, s, l.get(4), l.get(5),
                        l.get(6), l.get(7), l.get(8), l.get(9), l.get(10), l.get(11), l.get(12)));
    }

    private static Arbitrary<PricingSpec> pricingSpecs() {
        Arbitrary<PricingSpec> anything = Combinators.combine(ints(), longs().list().ofSize(8))
                .as((id, l) -> new PricingSpec(id, l.get(0), l.get(1), l.get(2), l.get(3), l.get(4), l.get(5), l.get(6),
                        l.get(7)));
        Arbitrary<PricingSpec> realistic = Arbitraries.integers().between(0, IndexSpec.MAX_INDEXES - 1)
                .map(id -> PricingSpec.perpetual(id, 6));
        return Arbitraries.oneOf(anything, realistic);
    }

    /**
     * Plain random bytes almost always fail at the version byte, so most noise starts like a real command (version,
     * a type, a presence mask of known fields) and continues with bytes biased to the ones that steer a decoder:
     * 0 and 1 (null/absent, present), 0x80 and 0xFF (varint continuation).
     */
    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<Byte> steering = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes()),
                Tuple.of(2, Arbitraries.of((byte) 0, (byte) 1, (byte) 2, (byte) 0x7F, (byte) 0x80, (byte) 0xFF)));
        Arbitrary<byte[]> tail = steering.list().ofMaxSize(120).map(CommandCodecProperties::toArray);
        Arbitrary<byte[]> plain = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> commandLike = Combinators.combine(
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.longs().between(0, (1L << 44) - 1),
                        tail)
                .as((type, mask, rest) -> {
                    byte[] head = new byte[21];
                    int n = 0;
                    head[n++] = CommandCodec.FORMAT_VERSION;
                    n = putVarint(head, n, type);
                    n = putVarint(head, n, mask);
                    byte[] out = Arrays.copyOf(head, n + rest.length);
                    System.arraycopy(rest, 0, out, n, rest.length);
                    return out;
                });
        return Arbitraries.frequencyOf(Tuple.of(1, plain), Tuple.of(4, commandLike));
    }

    private static int putVarint(byte[] out, int at, long v) {
        int n = at;
        long value = v;
        while ((value & ~0x7FL) != 0) {
            out[n++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[n++] = (byte) value;
        return n;
    }

    private static byte[] toArray(List<Byte> list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** How a stored record goes bad: a flipped bit, an overwritten, inserted or lost byte, a torn or padded end. */
    enum Kind { FLIP, OVERWRITE, INSERT, DELETE, TRUNCATE, APPEND }

    /** {@code position} is taken modulo the current length, so a mutation applies to any input. */
    record Mutation(Kind kind, int position, byte value) {
        byte[] apply(byte[] in) {
            if (in.length == 0 && kind != Kind.INSERT && kind != Kind.APPEND) {
                return in;
            }
            int at = in.length == 0 ? 0 : Math.floorMod(position, in.length);
            return switch (kind) {
                case FLIP -> {
                    byte[] out = in.clone();
                    out[at] ^= (byte) (1 << (value & 7));
                    yield out;
                }
                case OVERWRITE -> {
                    byte[] out = in.clone();
                    out[at] = value;
                    yield out;
                }
                case INSERT -> {
                    byte[] out = new byte[in.length + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = value;
                    System.arraycopy(in, at, out, at + 1, in.length - at);
                    yield out;
                }
                case DELETE -> {
                    byte[] out = new byte[in.length - 1];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                    yield out;
                }
                case TRUNCATE -> Arrays.copyOf(in, at);
                case APPEND -> {
                    byte[] out = Arrays.copyOf(in, in.length + 1);
                    out[in.length] = value;
                    yield out;
                }
                default -> throw new IllegalStateException("unknown mutation " + kind);
            };
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Byte> values = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes()),
                Tuple.of(1, Arbitraries.of((byte) 0, (byte) 1, (byte) 0x80, (byte) 0xFF)));
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().greaterOrEqual(0), values)
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(6);
    }
}
