package io.meridian.journal;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.RiskBounds;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Compact binary form of a {@link Command}: every field except the envelope ({@link Command#sequence} and
 * {@link Command#timestamp}, which the journal record header carries), including the nested specs, the lists and
 * null values. The byte layout is in docs/journal.md; in short: a format version byte, the command type, a bit mask
 * of the fields that differ from their {@link Command#reset() reset} value, then those fields in bit order as
 * zig-zag varints, enums as {@code ordinal + 1} (0 = null), strings as UTF-8 with a length prefix.
 *
 * <p><b>Contract.</b> {@code decode(encode(c))} equals {@code c} field by field (records and lists by
 * {@code equals}); a test builds a command with every public field set by reflection, so a field added to
 * {@link Command} later fails the build until it is encoded here. {@link #decode} throws {@link CodecException} and
 * nothing else for bytes that are not a command (truncated, trailing bytes, unknown version, field bit or ordinal, bad
 * UTF-8): every length is checked against the bytes that remain before anything is allocated, so hostile input cannot
 * cause an out-of-memory error. It does not insist on the canonical form: a field present with its default value, or
 * an overlong varint, decodes to the command it means (which re-encodes canonically). The journal's CRC, not the
 * codec, is what detects damage.
 *
 * <p><b>Threads.</b> An instance keeps its cursor in fields so that encoding and decoding plain order commands
 * allocate nothing; use one instance per thread. Nested specs, lists and strings allocate when decoded.
 */
public final class CommandCodec extends CodecCursor {
    /** First byte of every payload; a decoder refuses any other value rather than misreading a newer format. */
    public static final byte FORMAT_VERSION = 1;
    /** Largest encoded command in bytes; larger ones are refused by the encoder and the decoder. */
    public static final int MAX_PAYLOAD = 1 << 20;

    // Bit numbers of the presence mask, in the order the values follow it. Append new fields at the end: the bit
    // numbers are the wire format.
    private static final int F_ACCOUNT = 0;
    private static final int F_INSTRUMENT = 1;
    private static final int F_ORDER_ID = 2;
    private static final int F_CLIENT_ORDER_ID = 3;
    private static final int F_SIDE = 4;
    private static final int F_ORDER_TYPE = 5;
    private static final int F_TIME_IN_FORCE = 6;
    private static final int F_PRICE = 7;
    private static final int F_QUANTITY = 8;
    private static final int F_TRIGGER_PRICE = 9;
    private static final int F_TRIGGER_SOURCE = 10;
    private static final int F_DISPLAY_QUANTITY = 11;
    private static final int F_EXPIRE_AT = 12;
    private static final int F_POST_ONLY = 13;
    private static final int F_REDUCE_ONLY = 14;
    private static final int F_SELF_TRADE_PREVENTION = 15;
    private static final int F_INSTRUMENT_SPEC = 16;
    private static final int F_MARGIN_BRACKETS = 17;
    private static final int F_POSITION_LIMIT = 18;
    private static final int F_COUNTERPARTY = 19;
    private static final int F_SETTLEMENT_ASSET = 20;
    private static final int F_COLLATERAL_WEIGHT = 21;
    private static final int F_MARGIN_MODE = 22;
    private static final int F_FEE_TIER = 23;
    private static final int F_LEVERAGE = 24;
    private static final int F_ASSET_SPEC = 25;
    private static final int F_ASSET = 26;
    private static final int F_AMOUNT = 27;
    private static final int F_INDEX_SPEC = 28;
    private static final int F_PRICING_SPEC = 29;
    private static final int F_INDEX_ID = 30;
    private static final int F_SOURCE_ID = 31;
    private static final int F_CONFIDENCE = 32;
    private static final int F_SOURCE_TIMESTAMP = 33;
    private static final int F_ADDRESS = 34;
    private static final int F_AGENT_KEY = 35;
    private static final int F_SIGNATURE = 36;
    private static final int F_NONCE = 37;
    private static final int F_DESTINATION = 38;
    private static final int F_AGENT_NAME = 39;
    private static final int F_VALID_UNTIL = 40;
    private static final int F_SESSION_ID = 41;
    private static final int F_OPTION_SPEC = 42;
    private static final int F_OPTION_MARGIN_SPEC = 43;
    private static final int F_GOVERNANCE_SPEC = 44;
    private static final int F_RISK_BOUNDS = 45;
    private static final int F_PROPOSAL_ID = 46;
    private static final int F_RISK_MULTIPLIER = 47;
    private static final int F_EFFECTIVE_AT = 48;
    private static final int F_CHAIN_DEPOSIT_ID = 49;
    private static final int F_FORCED_REF = 50;
    private static final int F_CHAIN_REF = 51;
    private static final int F_CLIENT_ORDER_TEXT = 52;
    private static final int FIELD_COUNT = 53;
    private static final long KNOWN_FIELDS = (1L << FIELD_COUNT) - 1;

    private static final CommandType[] COMMAND_TYPES = CommandType.values();
    private static final Side[] SIDES = Side.values();
    private static final OrderType[] ORDER_TYPES = OrderType.values();
    private static final TimeInForce[] TIME_IN_FORCES = TimeInForce.values();
    private static final TriggerSource[] TRIGGER_SOURCES = TriggerSource.values();
    private static final PostOnly[] POST_ONLYS = PostOnly.values();
    private static final SelfTradePrevention[] STPS = SelfTradePrevention.values();
    private static final MarginMode[] MARGIN_MODES = MarginMode.values();

    /**
     * The "absent" value of every field. Presence is decided against this instance, not against literals, so that the
     * encoder and {@link Command#reset()} (which the decoder starts from) can never disagree about a default.
     */
    private static final Command DEFAULTS = new Command().reset();

    /** The nested records (specs and lists) of the administrative commands. */
    private final SpecCodec specs = new SpecCodec(this);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);

    /**
     * Writes {@code c} (without sequence and timestamp) at {@code offset} and returns the number of bytes written.
     *
     * @param maxLength at most this many bytes are written (further capped by {@link #MAX_PAYLOAD} and the buffer)
     * @throws CodecException when the command does not fit or holds a string that is not valid UTF-16
     */
    public int encode(Command c, MutableDirectBuffer buffer, int offset, int maxLength) {
        if (offset < 0 || offset > buffer.capacity()) {
            throw new CodecException("offset " + offset + " is outside the buffer of " + buffer.capacity() + " bytes");
        }
        startWrite(buffer, offset, (int) Math.min((long) offset + Math.min(maxLength, MAX_PAYLOAD),
                buffer.capacity()));
        try {
            putByte(FORMAT_VERSION);
            putVarLong(c.type == null ? 0 : c.type.ordinal() + 1);
            long mask = presence(c);
            putVarLong(mask);
            writeFields(c, mask);
            return position() - offset;
        } finally {
            end();
        }
    }

    /** Convenience for tools and tests: the encoded bytes of {@code c}. Allocates. */
    public byte[] encode(Command c) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
        int length = encode(c, buffer, 0, MAX_PAYLOAD);
        byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Resets {@code into} and fills every field from the {@code length} bytes at {@code offset}; sequence and
     * timestamp stay 0 (the caller stamps them from the record header). All bytes must be consumed.
     *
     * @return {@code into}
     * @throws CodecException when the bytes are not a command written by this format version; {@code into} is then
     *                        left in an unspecified state
     */
    public Command decode(DirectBuffer buffer, int offset, int length, Command into) {
        if (offset < 0 || length < 0 || (long) offset + length > buffer.capacity()) {
            throw new CodecException("range " + offset + "+" + length + " is outside the buffer of "
                    + buffer.capacity() + " bytes");
        }
        if (length > MAX_PAYLOAD) {
            throw new CodecException("payload of " + length + " bytes exceeds the maximum of " + MAX_PAYLOAD);
        }
        startRead(buffer, offset, offset + length);
        try {
            into.reset();
            byte version = getByte();
            if (version != FORMAT_VERSION) {
                throw new CodecException("unsupported format version " + version + " (this decoder reads "
                        + FORMAT_VERSION + ")");
            }
            long type = getVarLong();
            into.type = type == 0 ? null : COMMAND_TYPES[ordinal(type, COMMAND_TYPES.length, "command type")];
            long mask = getVarLong();
            if ((mask & ~KNOWN_FIELDS) != 0) {
                throw new CodecException("unknown field bits 0x" + Long.toHexString(mask & ~KNOWN_FIELDS));
            }
            readFields(into, mask);
            if (remaining() != 0) {
                throw new CodecException(remaining() + " trailing byte(s) after the command");
            }
            return into;
        } finally {
            end();
        }
    }

    /** Convenience for tools and tests: decodes a whole array. */
    public Command decode(byte[] bytes, Command into) {
        scratch.wrap(bytes);
        try {
            return decode(scratch, 0, bytes.length, into);
        } finally {
            scratch.wrap(new byte[0]);
        }
    }

    private static long presence(Command c) {
        Command d = DEFAULTS;
        long m = 0;
        m |= bit(c.account != d.account, F_ACCOUNT);
        m |= bit(c.instrument != d.instrument, F_INSTRUMENT);
        m |= bit(c.orderId != d.orderId, F_ORDER_ID);
        m |= bit(c.clientOrderId != d.clientOrderId, F_CLIENT_ORDER_ID);
        m |= bit(c.side != d.side, F_SIDE);
        m |= bit(c.orderType != d.orderType, F_ORDER_TYPE);
        m |= bit(c.timeInForce != d.timeInForce, F_TIME_IN_FORCE);
        m |= bit(c.price != d.price, F_PRICE);
        m |= bit(c.quantity != d.quantity, F_QUANTITY);
        m |= bit(c.triggerPrice != d.triggerPrice, F_TRIGGER_PRICE);
        m |= bit(c.triggerSource != d.triggerSource, F_TRIGGER_SOURCE);
        m |= bit(c.displayQuantity != d.displayQuantity, F_DISPLAY_QUANTITY);
        m |= bit(c.expireAt != d.expireAt, F_EXPIRE_AT);
        m |= bit(c.postOnly != d.postOnly, F_POST_ONLY);
        m |= bit(c.reduceOnly != d.reduceOnly, F_REDUCE_ONLY);
        m |= bit(c.selfTradePrevention != d.selfTradePrevention, F_SELF_TRADE_PREVENTION);
        m |= bit(!Objects.equals(c.instrumentSpec, d.instrumentSpec), F_INSTRUMENT_SPEC);
        m |= bit(!Objects.equals(c.marginBrackets, d.marginBrackets), F_MARGIN_BRACKETS);
        m |= bit(c.positionLimit != d.positionLimit, F_POSITION_LIMIT);
        m |= bit(c.counterparty != d.counterparty, F_COUNTERPARTY);
        m |= bit(c.settlementAsset != d.settlementAsset, F_SETTLEMENT_ASSET);
        m |= bit(c.collateralWeightPpm != d.collateralWeightPpm, F_COLLATERAL_WEIGHT);
        m |= bit(c.marginMode != d.marginMode, F_MARGIN_MODE);
        m |= bit(c.feeTier != d.feeTier, F_FEE_TIER);
        m |= bit(c.leverage != d.leverage, F_LEVERAGE);
        m |= bit(!Objects.equals(c.assetSpec, d.assetSpec), F_ASSET_SPEC);
        m |= bit(c.asset != d.asset, F_ASSET);
        m |= bit(c.amount != d.amount, F_AMOUNT);
        m |= bit(!Objects.equals(c.indexSpec, d.indexSpec), F_INDEX_SPEC);
        m |= bit(!Objects.equals(c.pricingSpec, d.pricingSpec), F_PRICING_SPEC);
        m |= bit(c.indexId != d.indexId, F_INDEX_ID);
        m |= bit(c.sourceId != d.sourceId, F_SOURCE_ID);
        m |= bit(c.confidence != d.confidence, F_CONFIDENCE);
        m |= bit(c.sourceTimestamp != d.sourceTimestamp, F_SOURCE_TIMESTAMP);
        m |= bit(c.address != d.address, F_ADDRESS);
        m |= bit(c.agentKey != d.agentKey, F_AGENT_KEY);
        m |= bit(c.signature != d.signature, F_SIGNATURE);
        m |= bit(c.nonce != d.nonce, F_NONCE);
        m |= bit(c.destination != d.destination, F_DESTINATION);
        m |= bit(!Objects.equals(c.agentName, d.agentName), F_AGENT_NAME);
        m |= bit(c.validUntil != d.validUntil, F_VALID_UNTIL);
        m |= bit(c.sessionId != d.sessionId, F_SESSION_ID);
        m |= bit(!Objects.equals(c.optionSpec, d.optionSpec), F_OPTION_SPEC);
        m |= bit(!Objects.equals(c.optionMarginSpec, d.optionMarginSpec), F_OPTION_MARGIN_SPEC);
        m |= bit(!Objects.equals(c.governanceSpec, d.governanceSpec), F_GOVERNANCE_SPEC);
        m |= bit(!Objects.equals(c.riskBounds, d.riskBounds), F_RISK_BOUNDS);
        m |= bit(c.proposalId != d.proposalId, F_PROPOSAL_ID);
        m |= bit(c.riskMultiplierPpm != d.riskMultiplierPpm, F_RISK_MULTIPLIER);
        m |= bit(c.effectiveAt != d.effectiveAt, F_EFFECTIVE_AT);
        m |= bit(c.chainDepositId != d.chainDepositId, F_CHAIN_DEPOSIT_ID);
        m |= bit(c.forcedRef != d.forcedRef, F_FORCED_REF);
        m |= bit(c.chainRef != d.chainRef, F_CHAIN_REF);
        m |= bit(!Objects.equals(c.clientOrderText, d.clientOrderText), F_CLIENT_ORDER_TEXT);
        return m;
    }

    private static long bit(boolean set, int field) {
        return set ? 1L << field : 0;
    }

    private static boolean has(long mask, int field) {
        return (mask & (1L << field)) != 0;
    }

    private void writeFields(Command c, long m) {
        if (has(m, F_ACCOUNT)) {
            putZigZag(c.account);
        }
        if (has(m, F_INSTRUMENT)) {
            putZigZag(c.instrument);
        }
        if (has(m, F_ORDER_ID)) {
            putZigZag(c.orderId);
        }
        if (has(m, F_CLIENT_ORDER_ID)) {
            putZigZag(c.clientOrderId);
        }
        if (has(m, F_SIDE)) {
            putEnum(c.side);
        }
        if (has(m, F_ORDER_TYPE)) {
            putEnum(c.orderType);
        }
        if (has(m, F_TIME_IN_FORCE)) {
            putEnum(c.timeInForce);
        }
        if (has(m, F_PRICE)) {
            putZigZag(c.price);
        }
        if (has(m, F_QUANTITY)) {
            putZigZag(c.quantity);
        }
        if (has(m, F_TRIGGER_PRICE)) {
            putZigZag(c.triggerPrice);
        }
        if (has(m, F_TRIGGER_SOURCE)) {
            putEnum(c.triggerSource);
        }
        if (has(m, F_DISPLAY_QUANTITY)) {
            putZigZag(c.displayQuantity);
        }
        if (has(m, F_EXPIRE_AT)) {
            putZigZag(c.expireAt);
        }
        if (has(m, F_POST_ONLY)) {
            putEnum(c.postOnly);
        }
        if (has(m, F_REDUCE_ONLY)) {
            putBoolean(c.reduceOnly);
        }
        if (has(m, F_SELF_TRADE_PREVENTION)) {
            putEnum(c.selfTradePrevention);
        }
        if (has(m, F_INSTRUMENT_SPEC)) {
            specs.putInstrumentSpec(c.instrumentSpec);
        }
        if (has(m, F_MARGIN_BRACKETS)) {
            specs.putBrackets(c.marginBrackets);
        }
        if (has(m, F_POSITION_LIMIT)) {
            putZigZag(c.positionLimit);
        }
        if (has(m, F_COUNTERPARTY)) {
            putZigZag(c.counterparty);
        }
        if (has(m, F_SETTLEMENT_ASSET)) {
            putZigZag(c.settlementAsset);
        }
        if (has(m, F_COLLATERAL_WEIGHT)) {
            putZigZag(c.collateralWeightPpm);
        }
        if (has(m, F_MARGIN_MODE)) {
            putEnum(c.marginMode);
        }
        if (has(m, F_FEE_TIER)) {
            putZigZag(c.feeTier);
        }
        if (has(m, F_LEVERAGE)) {
            putZigZag(c.leverage);
        }
        if (has(m, F_ASSET_SPEC)) {
            specs.putAssetSpec(c.assetSpec);
        }
        if (has(m, F_ASSET)) {
            putZigZag(c.asset);
        }
        if (has(m, F_AMOUNT)) {
            putZigZag(c.amount);
        }
        if (has(m, F_INDEX_SPEC)) {
            specs.putIndexSpec(c.indexSpec);
        }
        if (has(m, F_PRICING_SPEC)) {
            specs.putPricingSpec(c.pricingSpec);
        }
        if (has(m, F_INDEX_ID)) {
            putZigZag(c.indexId);
        }
        if (has(m, F_SOURCE_ID)) {
            putZigZag(c.sourceId);
        }
        if (has(m, F_CONFIDENCE)) {
            putZigZag(c.confidence);
        }
        if (has(m, F_SOURCE_TIMESTAMP)) {
            putZigZag(c.sourceTimestamp);
        }
        if (has(m, F_ADDRESS)) {
            putBytes(c.address, "address");
        }
        if (has(m, F_AGENT_KEY)) {
            putBytes(c.agentKey, "agentKey");
        }
        if (has(m, F_SIGNATURE)) {
            putBytes(c.signature, "signature");
        }
        if (has(m, F_NONCE)) {
            putZigZag(c.nonce);
        }
        if (has(m, F_DESTINATION)) {
            putBytes(c.destination, "destination");
        }
        if (has(m, F_AGENT_NAME)) {
            putString(c.agentName);
        }
        if (has(m, F_VALID_UNTIL)) {
            putZigZag(c.validUntil);
        }
        if (has(m, F_SESSION_ID)) {
            putZigZag(c.sessionId);
        }
        if (has(m, F_OPTION_SPEC)) {
            specs.putOptionSpec(c.optionSpec);
        }
        if (has(m, F_OPTION_MARGIN_SPEC)) {
            specs.putOptionMarginSpec(c.optionMarginSpec);
        }
        writeGovernanceFields(c, m);
    }

    private void writeGovernanceFields(Command c, long m) {
        if (has(m, F_GOVERNANCE_SPEC)) {
            GovernanceSpec g = c.governanceSpec;
            putCount(g.admins());
            if (g.admins() != null) {
                for (String admin : g.admins()) {
                    putString(admin);
                }
            }
            putZigZag(g.threshold());
            putZigZag(g.timelockMillis());
        }
        if (has(m, F_RISK_BOUNDS)) {
            RiskBounds b = c.riskBounds;
            putZigZag(b.floorPpm());
            putZigZag(b.ceilingPpm());
            putZigZag(b.maxChangePerHourPpm());
            putZigZag(b.hysteresisPpm());
            putZigZag(b.noticeMillis());
        }
        if (has(m, F_PROPOSAL_ID)) {
            putZigZag(c.proposalId);
        }
        if (has(m, F_RISK_MULTIPLIER)) {
            putZigZag(c.riskMultiplierPpm);
        }
        if (has(m, F_EFFECTIVE_AT)) {
            putZigZag(c.effectiveAt);
        }
        if (has(m, F_CHAIN_DEPOSIT_ID)) {
            putZigZag(c.chainDepositId);
        }
        if (has(m, F_FORCED_REF)) {
            putZigZag(c.forcedRef);
        }
        if (has(m, F_CHAIN_REF)) {
            putZigZag(c.chainRef);
        }
        if (has(m, F_CLIENT_ORDER_TEXT)) {
            putString(c.clientOrderText);
        }
    }

    private void readGovernanceFields(Command c, long m) {
        if (has(m, F_GOVERNANCE_SPEC)) {
            int count = getCount("governanceSpec.admins");
            List<String> admins = null;
            if (count >= 0) {
                String[] values = new String[count];
                for (int i = 0; i < count; i++) {
                    values[i] = getString("governanceSpec.admins");
                    if (values[i] == null) {
                        throw new CodecException("governanceSpec.admins: an admin is null");
                    }
                }
                admins = Arrays.asList(values);
            }
            c.governanceSpec = new GovernanceSpec(admins, getInt("governanceSpec.threshold"), getZigZag());
        }
        if (has(m, F_RISK_BOUNDS)) {
            c.riskBounds = new RiskBounds(getZigZag(), getZigZag(), getZigZag(), getZigZag(),
                    getZigZag());
        }
        if (has(m, F_PROPOSAL_ID)) {
            c.proposalId = getZigZag();
        }
        if (has(m, F_RISK_MULTIPLIER)) {
            c.riskMultiplierPpm = getZigZag();
        }
        if (has(m, F_EFFECTIVE_AT)) {
            c.effectiveAt = getZigZag();
        }
        if (has(m, F_CHAIN_DEPOSIT_ID)) {
            c.chainDepositId = getZigZag();
        }
        if (has(m, F_FORCED_REF)) {
            c.forcedRef = getZigZag();
        }
        if (has(m, F_CHAIN_REF)) {
            c.chainRef = getZigZag();
        }
        if (has(m, F_CLIENT_ORDER_TEXT)) {
            c.clientOrderText = getString("clientOrderText");
        }
    }

    private void readFields(Command c, long m) {
        if (has(m, F_ACCOUNT)) {
            c.account = getZigZag();
        }
        if (has(m, F_INSTRUMENT)) {
            c.instrument = getInt("instrument");
        }
        if (has(m, F_ORDER_ID)) {
            c.orderId = getZigZag();
        }
        if (has(m, F_CLIENT_ORDER_ID)) {
            c.clientOrderId = getZigZag();
        }
        if (has(m, F_SIDE)) {
            int o = getEnum(SIDES.length, "side");
            c.side = o < 0 ? null : SIDES[o];
        }
        if (has(m, F_ORDER_TYPE)) {
            int o = getEnum(ORDER_TYPES.length, "order type");
            c.orderType = o < 0 ? null : ORDER_TYPES[o];
        }
        if (has(m, F_TIME_IN_FORCE)) {
            int o = getEnum(TIME_IN_FORCES.length, "time in force");
            c.timeInForce = o < 0 ? null : TIME_IN_FORCES[o];
        }
        if (has(m, F_PRICE)) {
            c.price = getZigZag();
        }
        if (has(m, F_QUANTITY)) {
            c.quantity = getZigZag();
        }
        if (has(m, F_TRIGGER_PRICE)) {
            c.triggerPrice = getZigZag();
        }
        if (has(m, F_TRIGGER_SOURCE)) {
            int o = getEnum(TRIGGER_SOURCES.length, "trigger source");
            c.triggerSource = o < 0 ? null : TRIGGER_SOURCES[o];
        }
        if (has(m, F_DISPLAY_QUANTITY)) {
            c.displayQuantity = getZigZag();
        }
        if (has(m, F_EXPIRE_AT)) {
            c.expireAt = getZigZag();
        }
        if (has(m, F_POST_ONLY)) {
            int o = getEnum(POST_ONLYS.length, "post-only");
            c.postOnly = o < 0 ? null : POST_ONLYS[o];
        }
        if (has(m, F_REDUCE_ONLY)) {
            c.reduceOnly = getBoolean("reduceOnly");
        }
        if (has(m, F_SELF_TRADE_PREVENTION)) {
            int o = getEnum(STPS.length, "self-trade prevention");
            c.selfTradePrevention = o < 0 ? null : STPS[o];
        }
        if (has(m, F_INSTRUMENT_SPEC)) {
            c.instrumentSpec = specs.getInstrumentSpec();
        }
        if (has(m, F_MARGIN_BRACKETS)) {
            c.marginBrackets = specs.getBrackets();
        }
        if (has(m, F_POSITION_LIMIT)) {
            c.positionLimit = getZigZag();
        }
        if (has(m, F_COUNTERPARTY)) {
            c.counterparty = getZigZag();
        }
        if (has(m, F_SETTLEMENT_ASSET)) {
            c.settlementAsset = getInt("settlementAsset");
        }
        if (has(m, F_COLLATERAL_WEIGHT)) {
            c.collateralWeightPpm = getZigZag();
        }
        if (has(m, F_MARGIN_MODE)) {
            int o = getEnum(MARGIN_MODES.length, "margin mode");
            c.marginMode = o < 0 ? null : MARGIN_MODES[o];
        }
        if (has(m, F_FEE_TIER)) {
            c.feeTier = getInt("feeTier");
        }
        if (has(m, F_LEVERAGE)) {
            c.leverage = getInt("leverage");
        }
        if (has(m, F_ASSET_SPEC)) {
            c.assetSpec = specs.getAssetSpec();
        }
        if (has(m, F_ASSET)) {
            c.asset = getInt("asset");
        }
        if (has(m, F_AMOUNT)) {
            c.amount = getZigZag();
        }
        if (has(m, F_INDEX_SPEC)) {
            c.indexSpec = specs.getIndexSpec();
        }
        if (has(m, F_PRICING_SPEC)) {
            c.pricingSpec = specs.getPricingSpec();
        }
        if (has(m, F_INDEX_ID)) {
            c.indexId = getInt("indexId");
        }
        if (has(m, F_SOURCE_ID)) {
            c.sourceId = getInt("sourceId");
        }
        if (has(m, F_CONFIDENCE)) {
            c.confidence = getZigZag();
        }
        if (has(m, F_SOURCE_TIMESTAMP)) {
            c.sourceTimestamp = getZigZag();
        }
        if (has(m, F_ADDRESS)) {
            c.address = getBytes("address");
        }
        if (has(m, F_AGENT_KEY)) {
            c.agentKey = getBytes("agentKey");
        }
        if (has(m, F_SIGNATURE)) {
            c.signature = getBytes("signature");
        }
        if (has(m, F_NONCE)) {
            c.nonce = getZigZag();
        }
        if (has(m, F_DESTINATION)) {
            c.destination = getBytes("destination");
        }
        if (has(m, F_AGENT_NAME)) {
            c.agentName = getString("agentName");
        }
        if (has(m, F_VALID_UNTIL)) {
            c.validUntil = getZigZag();
        }
        if (has(m, F_SESSION_ID)) {
            c.sessionId = getZigZag();
        }
        if (has(m, F_OPTION_SPEC)) {
            c.optionSpec = specs.getOptionSpec();
        }
        if (has(m, F_OPTION_MARGIN_SPEC)) {
            c.optionMarginSpec = specs.getOptionMarginSpec();
        }
        readGovernanceFields(c, m);
    }
}
