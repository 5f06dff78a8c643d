package io.meridian.node.fix;

import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostOnly;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;
import quickfix.FieldNotFound;
import quickfix.Message;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static io.meridian.node.fix.FixGateway.TAG_EXEC_INST;
import static io.meridian.node.fix.FixGateway.TAG_EXPIRE_TIME;
import static io.meridian.node.fix.FixGateway.TAG_ORDER_QTY;
import static io.meridian.node.fix.FixGateway.TAG_ORD_TYPE;
import static io.meridian.node.fix.FixGateway.TAG_PRICE;
import static io.meridian.node.fix.FixGateway.TAG_TIME_IN_FORCE;

/**
 * FIX order messages into engine commands, with the REST rules (the edge codec: exact tick and lot multiples, the
 * plain decimal grammar, whole numbers without padding); a refusal names the tag. Stateless; runs on the FIX session's
 * thread.
 */
final class FixOrders {
    private FixOrders() {
    }

    /** A NewOrderSingle's command (account, session and client order id are set by the caller). */
    static Command order(Message m, InstrumentSpec spec, char sideChar) throws RequestException, FieldNotFound {
        Side side = switch (sideChar) {
            case '1' -> Side.BUY;
            case '2' -> Side.SELL;
            default -> throw bad("Side(54): must be 1 (buy) or 2 (sell), was " + EdgeDecimals.echo(String.valueOf(sideChar)));
        };
        long lots = Units.units(decimal(m, TAG_ORDER_QTY, "OrderQty(38)"), spec.lotSize(), "OrderQty(38)");
        char type = m.getChar(TAG_ORD_TYPE);
        Command c = new Command();
        if (type == '1') {
            if (m.isSetField(TAG_PRICE)) {
                throw bad("Price(44): not allowed on a market order");
            }
            c.market(0, spec.id(), 0, side, lots);
        } else if (type == '2') {
            if (!m.isSetField(TAG_PRICE)) {
                throw bad("Price(44): required on a limit order");
            }
            long price = Units.units(decimal(m, TAG_PRICE, "Price(44)"), spec.tickSize(), "Price(44)");
            char tif = m.isSetField(TAG_TIME_IN_FORCE) ? m.getChar(TAG_TIME_IN_FORCE) : '1';
            TimeInForce timeInForce = switch (tif) {
                case '1' -> TimeInForce.GTC;
                case '3' -> TimeInForce.IOC;
                case '4' -> TimeInForce.FOK;
                case '6' -> TimeInForce.GTD;
                default -> throw bad("TimeInForce(59): must be 1 (GTC), 3 (IOC), 4 (FOK) or 6 (GTD), was "
                        + EdgeDecimals.echo(String.valueOf(tif)));
            };
            c.limit(0, spec.id(), 0, side, price, lots, timeInForce);
            if (timeInForce == TimeInForce.GTD) {
                if (!m.isSetField(TAG_EXPIRE_TIME)) {
                    throw bad("ExpireTime(126): required with TimeInForce 6 (GTD)");
                }
                LocalDateTime expire = m.getUtcTimeStamp(TAG_EXPIRE_TIME);
                c.expireAt = expire.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + expire.getNano();
            }
        } else {
            throw bad("OrdType(40): must be 1 (market) or 2 (limit), was " + EdgeDecimals.echo(String.valueOf(type)));
        }
        if (m.isSetField(TAG_EXEC_INST) && m.getString(TAG_EXEC_INST).contains("6")) {
            c.postOnly = PostOnly.REJECT;
        }
        return c;
    }

    /**
     * An OrderCancelRequest's cancel, or an OrderCancelReplaceRequest's amend (new Price(44) and/or OrderQty(38); an
     * absent one is kept), of {@code orderId} (0: by client order id, set by the caller).
     */
    static Command cancelOrReplace(Message m, InstrumentSpec spec, long orderId, boolean replace)
            throws RequestException {
        Command c = new Command();
        if (replace) {
            long price = m.isSetField(TAG_PRICE)
                    ? Units.units(decimal(m, TAG_PRICE, "Price(44)"), spec.tickSize(), "Price(44)") : 0;
            long lots = m.isSetField(TAG_ORDER_QTY)
                    ? Units.units(decimal(m, TAG_ORDER_QTY, "OrderQty(38)"), spec.lotSize(), "OrderQty(38)") : 0;
            c.amend(0, spec.id(), orderId, price, lots);
        } else {
            c.cancel(0, spec.id(), orderId);
        }
        return c;
    }

    /** A request refused before the engine: its code (as REST's) and message. */
    static RequestException bad(String message) {
        return RequestException.badField(message);
    }

    /** A tag's value, or null when absent. */
    static String optional(Message m, int tag) {
        try {
            return m.isSetField(tag) ? m.getString(tag) : null;
        } catch (FieldNotFound e) {
            return null;
        }
    }

    /** A required decimal tag, by the edge's grammar. */
    static BigDecimal decimal(Message m, int tag, String field) throws RequestException {
        String text = optional(m, tag);
        if (text == null) {
            throw bad(field + ": required");
        }
        // The edge's grammar, before any arithmetic: "1e-999999999" would otherwise become a billion-digit number.
        BigDecimal value = EdgeDecimals.parse(text);
        if (value == null) {
            throw bad(field + ": not a plain decimal: " + EdgeDecimals.echo(text));
        }
        return value;
    }

    /** A positive whole number (ids, client order ids, nonces). */
    static long positive(String text, String field) throws RequestException {
        return Ids.positive(text, field);
    }
}
