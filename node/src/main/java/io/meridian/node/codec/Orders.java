package io.meridian.node.codec;

import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostOnly;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A new order as REST ({@code POST /v1/orders}) and WebSocket ({@code op: order}) take it, and its conversion into the
 * engine's command: prices and quantities exact multiples of the tick and lot ({@link Units}), names of sides, types and
 * times in force checked, the signature fields attached ({@link RequestSigning#attach}). Stateless.
 */
public final class Orders {
    /** Time-in-force names as clients usually write them (all lower or all upper case), without case conversion. */
    private static final Map<String, TimeInForce> TIME_IN_FORCE = new HashMap<>();

    static {
        for (TimeInForce tif : TimeInForce.values()) {
            TIME_IN_FORCE.put(tif.name(), tif);
            TIME_IN_FORCE.put(tif.name().toLowerCase(Locale.ROOT), tif);
        }
    }

    private Orders() {
    }

    /** A new order, as the API takes it. Price and quantity are decimals in the instrument's units. */
    public record OrderRequest(Long account, int instrument, String side, String type, BigDecimal price,
                               BigDecimal quantity, String timeInForce, Long clientOrderId, Boolean postOnly,
                               Boolean reduceOnly, String address, Long nonce, String signature, String agentKey) {
    }

    /** The engine command for an order request, filled into {@code into}, or a 400 naming the field. */
    public static Command command(OrderRequest o, Command into, Instruments instruments, RequestSigning signing)
            throws RequestException {
        InstrumentSpec spec = instruments.get(o.instrument());
        if (spec == null) {
            throw RequestException.badField("instrument: no instrument " + o.instrument());
        }
        Side side = switch (String.valueOf(o.side()).toLowerCase(Locale.ROOT)) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw RequestException.badField("side: must be buy or sell, was " + EdgeDecimals.echo(o.side()));
        };
        if (o.quantity() == null) {
            throw RequestException.badField("quantity: required");
        }
        long lots = Units.units(o.quantity(), spec.lotSize(), "quantity");
        String type = o.type() == null ? "limit" : o.type().toLowerCase(Locale.ROOT);
        Command c;
        if (type.equals("market")) {
            if (o.price() != null) {
                throw RequestException.badField("price: not allowed on a market order");
            }
            c = into.market(accountId(o.account()), spec.id(), 0, side, lots);
        } else if (type.equals("limit")) {
            if (o.price() == null) {
                throw RequestException.badField("price: required on a limit order");
            }
            TimeInForce tif = timeInForce(o.timeInForce());
            c = into.limit(accountId(o.account()), spec.id(), 0, side, Units.units(o.price(), spec.tickSize(), "price"),
                    lots, tif);
        } else {
            throw RequestException.badField("type: must be limit or market, was " + EdgeDecimals.echo(o.type()));
        }
        if (o.clientOrderId() != null) {
            c.clientOrderId = o.clientOrderId();
        }
        if (Boolean.TRUE.equals(o.postOnly())) {
            c.postOnly = PostOnly.REJECT;
        }
        c.reduceOnly = Boolean.TRUE.equals(o.reduceOnly());
        signing.attach(c, o.address(), o.nonce(), o.signature(), o.agentKey());
        return c;
    }

    /** An account id from a request body: absent (a signed request names its address instead) is 0. */
    public static long accountId(Long account) {
        return account == null ? 0 : account;
    }

    private static TimeInForce timeInForce(String text) throws RequestException {
        if (text == null) {
            return TimeInForce.GTC;
        }
        TimeInForce known = TIME_IN_FORCE.get(text);
        if (known != null) {
            return known;
        }
        try {
            return TimeInForce.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RequestException.badField("timeInForce: unknown " + EdgeDecimals.echo(text));
        }
    }
}
