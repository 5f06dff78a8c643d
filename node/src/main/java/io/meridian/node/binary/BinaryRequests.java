package io.meridian.node.binary;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.http.Gateway;
import io.meridian.sbe.AmendDecoder;
import io.meridian.sbe.CancelAllDecoder;
import io.meridian.sbe.CancelByClientIdDecoder;
import io.meridian.sbe.CancelDecoder;
import io.meridian.sbe.NewOrderDecoder;
import io.meridian.sbe.RequestKind;
import io.netty.channel.Channel;
import org.agrona.DirectBuffer;

/**
 * The binary requests into engine commands (docs/binary-protocol.md, "Requests"): a NewOrder through
 * {@link Orders#typed}, the core REST and WebSocket orders are built with (prices and quantities arrive in ticks and
 * lots already), a cancel, amend or cancel-all as those edges build them; each made in the connection's session (the
 * Logon's address, agent key and engine session), then admitted by the {@link Gateway} (pre-journal checks, the
 * account's rate limit) and submitted to the engine, whose answer goes into the session's report sequence. One per
 * connection, on its I/O thread; the command is a scratch the engine ring copies.
 */
final class BinaryRequests {
    private static final OrderType[] ORDER_TYPES = {OrderType.LIMIT, OrderType.MARKET, OrderType.STOP_MARKET,
        OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_MARKET, OrderType.TAKE_PROFIT_LIMIT};
    private static final TimeInForce[] TIME_IN_FORCE = {null, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK,
        TimeInForce.GTD};
    private static final TriggerSource[] TRIGGER_SOURCES = {TriggerSource.LAST, TriggerSource.MARK};
    private static final PostOnly[] POST_ONLY = {PostOnly.NONE, PostOnly.REJECT, PostOnly.SLIDE};
    private static final SelfTradePrevention[] SELF_TRADE = {SelfTradePrevention.NONE,
        SelfTradePrevention.EXPIRE_MAKER, SelfTradePrevention.EXPIRE_TAKER, SelfTradePrevention.EXPIRE_BOTH,
        SelfTradePrevention.DECREMENT};

    private final Gateway gateway;
    private final Command scratch = new Command();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelDecoder cancel = new CancelDecoder();
    private final CancelByClientIdDecoder cancelByClientId = new CancelByClientIdDecoder();
    private final AmendDecoder amend = new AmendDecoder();
    private final CancelAllDecoder cancelAll = new CancelAllDecoder();
    /** The request's instrument and client order id as read so far, for its reject's report. */
    private int instrument;
    private long clientOrderId;

    BinaryRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    static boolean isRequest(int template) {
        return kind(template) != RequestKind.NONE;
    }

    static RequestKind kind(int template) {
        return switch (template) {
            case NewOrderDecoder.TEMPLATE_ID -> RequestKind.NEW_ORDER;
            case CancelDecoder.TEMPLATE_ID -> RequestKind.CANCEL;
            case CancelByClientIdDecoder.TEMPLATE_ID -> RequestKind.CANCEL_BY_CLIENT_ID;
            case AmendDecoder.TEMPLATE_ID -> RequestKind.AMEND;
            case CancelAllDecoder.TEMPLATE_ID -> RequestKind.CANCEL_ALL;
            default -> RequestKind.NONE;
        };
    }

    int lastInstrument() {
        return instrument;
    }

    long lastClientOrderId() {
        return clientOrderId;
    }

    /**
     * Converts, admits and submits the request in {@code in} (a checked frame) made in {@code session}; its answer is
     * reported in the session's sequence.
     *
     * @throws RequestException what the gateway refuses (the caller reports it as REJECTED with the code)
     */
    void submit(Channel ch, BinarySession session, DirectBuffer in, int template, int block, int version)
            throws RequestException {
        instrument = 0;
        clientOrderId = 0;
        int body = io.meridian.sbe.MessageHeaderDecoder.ENCODED_LENGTH;
        long seq;
        Command c;
        switch (template) {
            case NewOrderDecoder.TEMPLATE_ID -> {
                newOrder.wrap(in, body, block, version);
                seq = newOrder.seqNum();
                c = newOrder();
            }
            case CancelDecoder.TEMPLATE_ID -> {
                cancel.wrap(in, body, block, version);
                seq = cancel.seqNum();
                InstrumentSpec spec = instrument(cancel.instrument());
                if (cancel.orderId() <= 0) {
                    throw RequestException.badField("orderId: must be a positive whole number");
                }
                c = scratch.cancel(0, spec.id(), cancel.orderId());
            }
            case CancelByClientIdDecoder.TEMPLATE_ID -> {
                cancelByClientId.wrap(in, body, block, version);
                seq = cancelByClientId.seqNum();
                InstrumentSpec spec = instrument(cancelByClientId.instrument());
                long key = cancelByClientId.clientOrderId();
                ClientOrderId id = clientOrderId(key, cancelByClientId.clientOrderTextLength() == 0 ? null
                        : cancelByClientId.clientOrderText());
                if (!id.isPresent()) {
                    throw RequestException.badField("clientOrderId: required (a number of 1 to 2^62 - 1, or a text)");
                }
                c = scratch.cancel(0, spec.id(), 0);
                id.applyTo(c);
            }
            case AmendDecoder.TEMPLATE_ID -> {
                amend.wrap(in, body, block, version);
                seq = amend.seqNum();
                InstrumentSpec spec = instrument(amend.instrument());
                if (amend.price() == 0 && amend.quantity() == 0 && amend.triggerPrice() == 0) {
                    throw RequestException.badField("price, quantity or triggerPrice: at least one is required");
                }
                c = scratch.amend(0, spec.id(), amend.orderId(), amend.price(), amend.quantity());
                c.triggerPrice = amend.triggerPrice();
            }
            case CancelAllDecoder.TEMPLATE_ID -> {
                cancelAll.wrap(in, body, block, version);
                seq = cancelAll.seqNum();
                int only = cancelAll.instrument();
                c = scratch.reset();
                c.type = CommandType.CANCEL_ALL;
                c.instrument = only == 0 ? Command.ALL_INSTRUMENTS : instrument(only).id();
            }
            default -> throw new IllegalArgumentException("not a request: template " + template);
        }
        // Made in the session, as a WebSocket request on a logged-in connection.
        c.address = session.address;
        c.agentKey = session.agentKey;
        c.sessionId = session.engineSession();
        gateway.admit(c, ch);
        RequestKind kind = kind(template);
        int reportInstrument = instrument;
        long reportClientOrderId = c.clientOrderId;
        if (!gateway.engine().submit(c, r -> session.answer(seq, kind, reportInstrument, reportClientOrderId, r))) {
            throw new RequestException(503, Codes.OVERLOADED, "engine queue full, retry");
        }
    }

    private Command newOrder() throws RequestException {
        InstrumentSpec spec = instrument(newOrder.instrument());
        ClientOrderId id = clientOrderId(newOrder.clientOrderId(), newOrder.clientOrderTextLength() == 0 ? null
                : newOrder.clientOrderText());
        Side side = switch (newOrder.sideRaw()) {
            case 0 -> Side.BUY;
            case 1 -> Side.SELL;
            default -> throw RequestException.badField("side: must be BUY (0) or SELL (1), was " + newOrder.sideRaw());
        };
        OrderType type = named(ORDER_TYPES, newOrder.ordTypeRaw(), "ordType");
        TimeInForce tif = newOrder.timeInForceRaw() == 0 ? null
                : named(TIME_IN_FORCE, newOrder.timeInForceRaw(), "timeInForce");
        if (type.hasLimitPrice() && newOrder.price() == 0) {
            throw RequestException.badField("price: required on a " + Orders.name(type) + " order");
        }
        if (newOrder.expireTime() < 0) {
            throw RequestException.badField("expireTime: must be epoch milliseconds, or 0 for none");
        }
        Command c = Orders.typed(scratch, 0, spec, side, type, newOrder.price(), newOrder.quantity(), tif,
                newOrder.expireTime());
        id.applyTo(c);
        c.postOnly = named(POST_ONLY, newOrder.postOnlyRaw(), "postOnly");
        c.reduceOnly = flag(newOrder.reduceOnlyRaw(), "reduceOnly");
        c.triggerPrice = newOrder.triggerPrice();
        c.triggerSource = named(TRIGGER_SOURCES, newOrder.triggerSourceRaw(), "triggerSource");
        c.displayQuantity = newOrder.displayQuantity();
        c.selfTradePrevention = named(SELF_TRADE, newOrder.selfTradePreventionRaw(), "selfTradePrevention");
        return c;
    }

    /** The instrument by id: a 460 naming it when no such instrument is listed. */
    private InstrumentSpec instrument(int id) throws RequestException {
        instrument = id;
        InstrumentSpec spec = gateway.instruments().get(id);
        if (spec == null) {
            throw RequestException.badField("instrument: no instrument " + id);
        }
        return spec;
    }

    /**
     * The client order id of a request: a text (its key computed, and the key field 0 or that key), else the number
     * (0: none, else 1 to 2^62 - 1), as REST and WebSocket take it ({@link ClientOrderId}).
     */
    private ClientOrderId clientOrderId(long key, String text) throws RequestException {
        clientOrderId = key;
        if (text == null) {
            return ClientOrderId.number(key, "clientOrderId");
        }
        ClientOrderId id = ClientOrderId.text(text, "clientOrderText");
        if (key != 0 && key != id.key()) {
            throw RequestException.badField("clientOrderId: must be 0 or the text's key " + id.key() + ", was " + key);
        }
        clientOrderId = id.key();
        return id;
    }

    private static <E> E named(E[] values, short raw, String field) throws RequestException {
        if (raw < 0 || raw >= values.length) {
            throw RequestException.badField(field + ": must be 0.." + (values.length - 1) + ", was " + raw);
        }
        return values[raw];
    }

    private static boolean flag(short raw, String field) throws RequestException {
        if (raw != 0 && raw != 1) {
            throw RequestException.badField(field + ": must be FALSE (0) or TRUE (1), was " + raw);
        }
        return raw == 1;
    }
}
