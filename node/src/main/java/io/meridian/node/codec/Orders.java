package io.meridian.node.codec;

import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A new order as REST ({@code POST /v1/orders}, {@code POST /v1/typed-data/order}) and WebSocket ({@code op: order})
 * take it, and its conversion into the engine's command, which is also what the order's EIP-712 {@code Order} struct is
 * signed from (docs/auth.md, "From a request body to its signed struct"): prices, trigger prices and quantities exact
 * multiples of the tick and lot ({@link Units}), names of sides, types, times in force, trigger sources,
 * self-trade-prevention and post-only modes checked, the GTD expiry from epoch milliseconds to the engine's nanoseconds,
 * the signature fields attached ({@link RequestSigning#attach}). Whether a combination makes sense (a trigger price on a
 * plain limit, an expiry on a GTC order, an iceberg on an IOC) is the engine's to decide, with its reject codes, so
 * every gateway refuses the same orders the same way. Stateless.
 */
public final class Orders {
    /** Names as clients write them: all lower or all upper case found at once, any other case after upper-casing. */
    private static final Map<String, TimeInForce> TIME_IN_FORCE = names(TimeInForce.values());
    private static final Map<String, OrderType> ORDER_TYPES = names(OrderType.values());
    private static final Map<String, TriggerSource> TRIGGER_SOURCES = names(TriggerSource.values());
    private static final Map<String, SelfTradePrevention> SELF_TRADE = names(SelfTradePrevention.values());
    private static final Map<String, PostOnly> POST_ONLY = names(PostOnly.values());
    /** The largest GTD expiry in epoch milliseconds whose nanoseconds fit a long (year 2262). */
    static final long MAX_EXPIRE_MILLIS = Long.MAX_VALUE / 1_000_000L;

    private Orders() {
    }

    /**
     * A new order, as the API takes it (REST's body and the WebSocket's {@code op: order} alike). Price, trigger price,
     * quantity and display quantity are decimals in the instrument's units; {@code instrument} an id or a symbol;
     * {@code clientOrderId} a number or a text ({@link ClientOrderId}); {@code expireTime} a GTD order's expiry in epoch
     * milliseconds; {@code postOnly} {@code true} (refuse if it would take), {@code false}, or a mode name
     * ({@code "reject"}, {@code "slide"}, {@code "none"}).
     */
    public record OrderRequest(Long account, InstrumentRef instrument, String side, String type, BigDecimal price,
                               BigDecimal quantity, String timeInForce, ClientOrderId clientOrderId, Object postOnly,
                               Boolean reduceOnly, BigDecimal triggerPrice, String triggerSource,
                               BigDecimal displayQuantity, Long expireTime, String selfTradePrevention, String address,
                               Long nonce, String signature, String agentKey) {
    }

    /** The engine command for an order request, filled into {@code into}, or a 400 naming the field. */
    public static Command command(OrderRequest o, Command into, Instruments instruments, RequestSigning signing)
            throws RequestException {
        Command c = unsigned(o, into, instruments);
        signing.attach(c, o.address(), o.nonce(), o.signature(), o.agentKey());
        return c;
    }

    /** The instrument an order request names: 400 when absent or unknown. */
    public static InstrumentSpec instrument(OrderRequest o, Instruments instruments) throws RequestException {
        return instruments.resolve(o.instrument(), "instrument");
    }

    /** The engine command for an order request without its signature fields (account as given, or 0). */
    public static Command unsigned(OrderRequest o, Command into, Instruments instruments) throws RequestException {
        InstrumentSpec spec = instrument(o, instruments);
        Side side = switch (String.valueOf(o.side()).toLowerCase(Locale.ROOT)) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw RequestException.badField("side: must be buy or sell, was " + EdgeDecimals.echo(o.side()));
        };
        if (o.quantity() == null) {
            throw RequestException.badField("quantity: required");
        }
        long lots = Units.units(o.quantity(), spec.lotSize(), "quantity");
        OrderType type = o.type() == null ? OrderType.LIMIT : named(ORDER_TYPES, o.type(), "type",
                "limit, market, stop_market, stop_limit, take_profit_market or take_profit_limit");
        if (type.hasLimitPrice() && o.price() == null) {
            throw RequestException.badField("price: required on a " + name(type) + " order");
        } else if (!type.hasLimitPrice() && o.price() != null) {
            throw RequestException.badField("price: not allowed on a " + name(type) + " order");
        }
        long price = o.price() == null ? 0 : Units.units(o.price(), spec.tickSize(), "price");
        TimeInForce tif = o.timeInForce() == null ? null
                : named(TIME_IN_FORCE, o.timeInForce(), "timeInForce", "gtc, ioc, fok or gtd");
        if (o.expireTime() != null && (o.expireTime() <= 0 || o.expireTime() > MAX_EXPIRE_MILLIS)) {
            throw RequestException.badField("expireTime: must be epoch milliseconds, 1.." + MAX_EXPIRE_MILLIS);
        }
        Command c = typed(into, accountId(o.account()), spec, side, type, price, lots, tif,
                o.expireTime() == null ? 0 : o.expireTime());
        if (o.clientOrderId() != null) {
            o.clientOrderId().applyTo(c);
        }
        c.postOnly = postOnly(o.postOnly());
        c.reduceOnly = Boolean.TRUE.equals(o.reduceOnly());
        if (o.triggerPrice() != null) {
            c.triggerPrice = Units.units(o.triggerPrice(), spec.tickSize(), "triggerPrice");
        }
        if (o.triggerSource() != null) {
            c.triggerSource = named(TRIGGER_SOURCES, o.triggerSource(), "triggerSource", "last or mark");
        }
        if (o.displayQuantity() != null) {
            c.displayQuantity = Units.units(o.displayQuantity(), spec.lotSize(), "displayQuantity");
        }
        if (o.selfTradePrevention() != null) {
            c.selfTradePrevention = named(SELF_TRADE, o.selfTradePrevention(), "selfTradePrevention",
                    "none, expire_maker, expire_taker, expire_both or decrement");
        }
        return c;
    }

    /**
     * The core of every edge's new order, in the engine's units (REST and WebSocket after their decimals, the binary
     * order entry as sent): the limit price's presence by type, the default time in force, and the GTD expiry from epoch
     * milliseconds to the engine's nanoseconds. The rest of the order's fields are set by the caller on the command
     * returned ({@code into}, reset).
     *
     * @param price        the limit price in ticks; 0 when none was given (REST's and WebSocket's decimals have
     *                     checked its presence by type already, so an explicit 0 reaches the engine's price check)
     * @param tif          null for the default (GTC with a limit price, else IOC: a market order never rests)
     * @param expireMillis a GTD order's expiry in epoch milliseconds; 0 for none
     * @throws RequestException 400 naming the field
     */
    public static Command typed(Command into, long account, InstrumentSpec spec, Side side, OrderType type, long price,
                                long lots, TimeInForce tif, long expireMillis) throws RequestException {
        if (!type.hasLimitPrice() && price != 0) {
            throw RequestException.badField("price: not allowed on a " + name(type) + " order");
        }
        if (expireMillis < 0 || expireMillis > MAX_EXPIRE_MILLIS) {
            throw RequestException.badField("expireTime: must be epoch milliseconds, 1.." + MAX_EXPIRE_MILLIS);
        }
        TimeInForce given = tif != null ? tif : type.hasLimitPrice() ? TimeInForce.GTC : TimeInForce.IOC;
        Command c = into.limit(account, spec.id(), 0, side, price, lots, given);
        c.orderType = type;
        c.expireAt = expireMillis * 1_000_000L;
        return c;
    }

    /** An account id from a request body: absent (a signed request names its address instead) is 0. */
    public static long accountId(Long account) {
        return account == null ? 0 : account;
    }

    /** The API's name of an order type: its enum name in lower case ({@code stop_limit}). */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** {@code postOnly}: absent or false NONE, true REJECT, or a mode's name. */
    private static PostOnly postOnly(Object given) throws RequestException {
        if (given == null || Boolean.FALSE.equals(given)) {
            return PostOnly.NONE;
        }
        if (Boolean.TRUE.equals(given)) {
            return PostOnly.REJECT;
        }
        if (given instanceof String text && !StrictScalars.hasControl(text)) {
            return named(POST_ONLY, text, "postOnly", "true, false, reject, slide or none");
        }
        throw RequestException.badField("postOnly: must be true, false, \"reject\", \"slide\" or \"none\"");
    }

    /** The value {@code text} names (all lower or all upper case), or a 400 listing the names. */
    private static <E> E named(Map<String, E> names, String text, String field, String allowed)
            throws RequestException {
        E known = names.get(text);
        if (known == null) {
            known = names.get(text.toUpperCase(Locale.ROOT));
        }
        if (known == null) {
            throw RequestException.badField(field + ": must be " + allowed + ", was " + EdgeDecimals.echo(text));
        }
        return known;
    }

    private static <E extends Enum<E>> Map<String, E> names(E[] values) {
        Map<String, E> names = new HashMap<>();
        for (E value : values) {
            names.put(value.name(), value);
            names.put(value.name().toLowerCase(Locale.ROOT), value);
        }
        return names;
    }
}
