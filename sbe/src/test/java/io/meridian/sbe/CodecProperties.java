package io.meridian.sbe;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The generated codecs round-trip every field (NewOrder and ExecutionReport, texts up to the longest a one-byte length
 * holds), every whole encoded message passes {@link Frames#check}, every truncation of one is refused by it, and random
 * bytes never make it throw: what it passes a decoder can read without leaving the frame. Seeded (the seed is in each
 * property; jqwik prints it with a failure).
 */
class CodecProperties {
    private static final MessageHeaderEncoder HEADER = new MessageHeaderEncoder();

    @Provide
    Arbitrary<String> asciiText() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(0).ofMaxLength(Frames.MAX_TEXT_BYTES);
    }

    @Property(tries = 2000, seed = "20261207")
    void newOrderRoundTrips(@ForAll long seq, @ForAll long clientOrderId, @ForAll int instrument, @ForAll long price,
                            @ForAll long quantity, @ForAll long trigger, @ForAll long display, @ForAll long expire,
                            @ForAll @IntRange(min = 0, max = 1) int side, @ForAll @IntRange(min = 0, max = 5) int type,
                            @ForAll @StringLength(max = 36) String rawText) {
        String text = ascii(rawText);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        NewOrderEncoder e = new NewOrderEncoder().wrapAndApplyHeader(buffer, 0, HEADER).seqNum(seq)
                .clientOrderId(clientOrderId).instrument(instrument).price(price).quantity(quantity)
                .triggerPrice(trigger).displayQuantity(display).expireTime(expire).side(Side.get((short) side))
                .ordType(OrdType.get((short) type)).timeInForce(TimeInForce.IOC).postOnly(PostOnly.SLIDE)
                .reduceOnly(BooleanType.TRUE).triggerSource(TriggerSource.MARK)
                .selfTradePrevention(SelfTradePrevention.DECREMENT).clientOrderText(text);
        int length = MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        assertNull(Frames.check(buffer, 0, length));
        NewOrderDecoder d = new NewOrderDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(seq, d.seqNum());
        assertEquals(clientOrderId, d.clientOrderId());
        assertEquals(instrument, d.instrument());
        assertEquals(price, d.price());
        assertEquals(quantity, d.quantity());
        assertEquals(trigger, d.triggerPrice());
        assertEquals(display, d.displayQuantity());
        assertEquals(expire, d.expireTime());
        assertEquals(side, d.sideRaw());
        assertEquals(type, d.ordTypeRaw());
        assertEquals(TimeInForce.IOC, d.timeInForce());
        assertEquals(PostOnly.SLIDE, d.postOnly());
        assertEquals(BooleanType.TRUE, d.reduceOnly());
        assertEquals(TriggerSource.MARK, d.triggerSource());
        assertEquals(SelfTradePrevention.DECREMENT, d.selfTradePrevention());
        assertEquals(text, d.clientOrderText());
        for (int cut = 0; cut < length; cut++) {
            assertNotNull(Frames.check(buffer, 0, cut), "a frame cut to " + cut + " of " + length + " bytes");
        }
    }

    @Property(tries = 2000, seed = "20261208")
    void executionReportRoundTrips(@ForAll long seq, @ForAll long clientSeq, @ForAll long engineSequence,
                                   @ForAll long orderId, @ForAll long tradeId, @ForAll long price, @ForAll long leaves,
                                   @ForAll int code, @ForAll @IntRange(min = 0, max = 5) int execType,
                                   @ForAll("asciiText") String text) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        ExecutionReportEncoder e = new ExecutionReportEncoder().wrapAndApplyHeader(buffer, 0, HEADER).seqNum(seq)
                .clientSeqNum(clientSeq).engineSequence(engineSequence).timestamp(engineSequence ^ seq)
                .orderId(orderId).clientOrderId(-orderId).tradeId(tradeId).instrument(code).price(price)
                .quantity(leaves ^ 1).leavesQuantity(leaves).code(code).execType(ExecType.get((short) execType))
                .requestKind(RequestKind.AMEND).side(Side.NULL_VAL).liquidity(Liquidity.TAKER).text(text);
        int length = MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        assertNull(Frames.check(buffer, 0, length));
        ExecutionReportDecoder d = new ExecutionReportDecoder().wrapAndApplyHeader(buffer, 0,
                new MessageHeaderDecoder());
        assertEquals(seq, d.seqNum());
        assertEquals(clientSeq, d.clientSeqNum());
        assertEquals(engineSequence, d.engineSequence());
        assertEquals(engineSequence ^ seq, d.timestamp());
        assertEquals(orderId, d.orderId());
        assertEquals(-orderId, d.clientOrderId());
        assertEquals(tradeId, d.tradeId());
        assertEquals(code, d.instrument());
        assertEquals(price, d.price());
        assertEquals(leaves ^ 1, d.quantity());
        assertEquals(leaves, d.leavesQuantity());
        assertEquals(code, d.code());
        assertEquals(execType, d.execTypeRaw());
        assertEquals(RequestKind.AMEND, d.requestKind());
        assertEquals(Side.NULL_VAL, d.side());
        assertEquals(Liquidity.TAKER, d.liquidity());
        assertEquals(text, d.text());
        for (int cut = 0; cut < length; cut++) {
            assertNotNull(Frames.check(buffer, 0, cut), "a frame cut to " + cut + " of " + length + " bytes");
        }
    }

    /**
     * Random frames, and valid headers over random bodies: {@link Frames#check} never throws, and what it passes, the
     * template's decoder reads (every fixed field and the text) inside the frame.
     */
    @Property(tries = 5000, seed = "20261209")
    void randomFramesAreCheckedNeverThrown(@ForAll @IntRange(min = 0, max = 600) int length,
                                           @ForAll @IntRange(min = 0, max = 14) int template,
                                           @ForAll @IntRange(min = 0, max = 120) int blockLength,
                                           @ForAll boolean validHeader, @ForAll long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (validHeader && length >= MessageHeaderEncoder.ENCODED_LENGTH) {
            buffer.putShort(0, (short) blockLength, ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(2, (short) template, ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(4, (short) MessageHeaderEncoder.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(6, (short) MessageHeaderEncoder.SCHEMA_VERSION, ByteOrder.LITTLE_ENDIAN);
        }
        if (Frames.check(buffer, 0, length) != null) {
            return;
        }
        // Passed: every field of the template is inside the frame, so reading it (with Agrona's bounds checks on)
        // cannot throw.
        UnsafeBuffer exact = new UnsafeBuffer(bytes, 0, length);
        int block = exact.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int id = exact.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int body = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (id) {
            case NewOrderDecoder.TEMPLATE_ID -> {
                NewOrderDecoder d = new NewOrderDecoder().wrap(exact, body, block, 1);
                long sum = d.seqNum() + d.clientOrderId() + d.instrument() + d.price() + d.quantity() + d.triggerPrice()
                        + d.displayQuantity() + d.expireTime() + d.sideRaw() + d.ordTypeRaw() + d.timeInForceRaw()
                        + d.postOnlyRaw() + d.reduceOnlyRaw() + d.triggerSourceRaw() + d.selfTradePreventionRaw();
                assertNotNull(d.clientOrderText() + sum);
            }
            case ExecutionReportDecoder.TEMPLATE_ID -> {
                ExecutionReportDecoder d = new ExecutionReportDecoder().wrap(exact, body, block, 1);
                long sum = d.seqNum() + d.clientSeqNum() + d.engineSequence() + d.timestamp() + d.orderId()
                        + d.clientOrderId() + d.tradeId() + d.instrument() + d.price() + d.quantity()
                        + d.leavesQuantity() + d.code() + d.execTypeRaw() + d.requestKindRaw() + d.sideRaw()
                        + d.liquidityRaw();
                assertNotNull(d.text() + sum);
            }
            case CancelByClientIdDecoder.TEMPLATE_ID -> {
                CancelByClientIdDecoder d = new CancelByClientIdDecoder().wrap(exact, body, block, 1);
                assertNotNull(d.clientOrderText() + d.seqNum() + d.clientOrderId());
            }
            case LogoutDecoder.TEMPLATE_ID -> {
                LogoutDecoder d = new LogoutDecoder().wrap(exact, body, block, 1);
                assertNotNull(d.text() + d.code());
            }
            case LogonDecoder.TEMPLATE_ID -> {
                LogonDecoder d = new LogonDecoder().wrap(exact, body, block, 1);
                long sum = d.validUntil() + d.nonce() + d.lastServerSeqNum() + d.resetSequencesRaw()
                        + d.hasAgentKeyRaw() + d.address(19) + d.agentKey(31) + d.signature(64);
                assertNotNull(Long.toString(sum));
            }
            default -> assertNotNull(Frames.blockLength(id) >= 0 ? "known" : null);
        }
    }

    private static String ascii(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= ' ' && c <= '~' ? c : 'x');
        }
        return out.toString();
    }
}
