package io.meridian.node.http;

import io.meridian.engine.AdlQuantiles;
import io.meridian.engine.Engine;
import io.meridian.matching.Order;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.Side;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Decimals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.meridian.node.codec.Decimals.price;
import static io.meridian.node.codec.Decimals.quantity;

/**
 * An account's state as the API shows it: the account summary, positions, balances and open orders. Every method runs
 * on the engine thread (inside an {@code EngineLoop.query}) and returns plain maps and lists that any thread may encode.
 */
final class AccountViews {
    /**
     * How long a computed ADL indicator is shown again once the engine has moved on (while the engine has applied
     * nothing since, it is exact and shown whatever its age).
     */
    static final long ADL_REUSE_NANOS = 1_000_000_000L;

    private final Gateway gateway;
    /**
     * The ADL indicators last computed, per instrument id (engine thread only, like every method here). Ranking an
     * instrument costs O(n log n) in its positions, each with its account's margin computation, on the engine thread;
     * done per request it would let readers stall the engine in proportion to the open interest. So it is computed at
     * most once per instrument per {@link #ADL_REUSE_NANOS} while commands flow, and every request in between reads
     * it in O(log n): the engine spends at most one ranking per instrument per second on it however many read, and a
     * figure is at most a second older than the rest of the answer (venues refresh theirs every few seconds).
     */
    private final Map<Integer, AdlQuantiles> adl = new java.util.HashMap<>();
    private final Map<Integer, Long> adlAt = new java.util.HashMap<>();

    AccountViews(Gateway gateway) {
        this.gateway = gateway;
    }

    /** {@code GET /v1/accounts/{account}}: per asset the margin state; the open positions; the address, if any. */
    Map<String, Object> account(Engine e, long account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", account);
        String address = e.view().addressOfAccount(account);
        if (address != null) {
            body.put("address", address);
        }
        List<Map<String, Object>> margins = new ArrayList<>();
        for (NodeConfig.Asset asset : gateway.config().assets()) {
            var state = e.view().marginState(account, asset.id());
            BigDecimal unit = BigDecimal.ONE.movePointLeft(asset.scale());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asset", asset.symbol());
            m.put("balance", unit.multiply(BigDecimal.valueOf(state.balance)).toPlainString());
            m.put("equity", unit.multiply(BigDecimal.valueOf(state.equity)).toPlainString());
            m.put("initialMargin", unit.multiply(BigDecimal.valueOf(state.initialMargin)).toPlainString());
            m.put("maintenanceMargin", unit.multiply(BigDecimal.valueOf(state.maintenanceMargin)).toPlainString());
            m.put("health", state.health);
            margins.add(m);
        }
        body.put("margin", margins);
        List<Map<String, Object>> positions = new ArrayList<>();
        for (InstrumentSpec spec : gateway.instruments().byId().values()) {
            long size = e.view().positions(spec.id()).size(account);
            if (size != 0) {
                positions.add(Map.of("instrument", spec.id(), "size", quantity(size, spec)));
            }
        }
        body.put("positions", positions);
        return body;
    }

    /**
     * The account's open positions: size, average entry price (the cost basis over the size, rounded half-even to 8
     * decimals below the tick), mark, unrealised PnL at the mark (the price the engine's margin uses: mark, else last
     * trade), realised PnL since the position was last flat (before fees), liquidation price (null when no price
     * liquidates it), margin mode, leverage, and the ADL indicator ({@link #adl}).
     */
    List<Map<String, Object>> positions(Engine e, long account, List<InstrumentSpec> specs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstrumentSpec spec : specs) {
            var book = e.view().positions(spec.id());
            var position = book.position(account);
            if (position == null || position.isFlat()) {
                continue;
            }
            NodeConfig.Asset asset = settlement(spec);
            long unit = book.minorUnitsPerTickLot();
            var orders = e.view().book(spec.id());
            long mark = orders.markPrice() != 0 ? orders.markPrice() : orders.lastTradePrice();
            BigDecimal entry = BigDecimal.valueOf(position.openValue()).abs().multiply(spec.tickSize()).divide(
                    BigDecimal.valueOf(position.size()).abs().multiply(BigDecimal.valueOf(unit)),
                    spec.tickSize().scale() + 8, RoundingMode.HALF_EVEN);
            MarginMode mode = e.view().marginMode(account, spec.id());
            long liquidation = e.view().liquidationPrice(account, spec.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instrument", spec.id());
            m.put("side", position.size() > 0 ? "long" : "short");
            m.put("size", quantity(position.size(), spec));
            m.put("entryPrice", entry.stripTrailingZeros().toPlainString());
            m.put("mark", mark == 0 ? null : price(mark, spec));
            m.put("unrealizedPnl", amount(position.unrealizedPnl(mark, unit), asset));
            m.put("realizedPnl", amount(position.realizedPnl(), asset));
            m.put("settle", asset.symbol());
            m.put("liquidationPrice", liquidation <= 0 ? null : price(liquidation, spec));
            m.put("marginMode", String.valueOf(mode).toLowerCase(Locale.ROOT));
            m.put("leverage", e.view().leverage(account, spec.id()));
            m.put("adlRank", adl(e, spec.id()).quantile(account));
            if (mode == MarginMode.ISOLATED) {
                m.put("isolatedMargin", amount(e.view().isolatedState(account, spec.id()).balance, asset));
            }
            list.add(m);
        }
        return list;
    }

    /**
     * The instrument's ADL indicators (docs/risk.md, "ADL rank"): the ones last computed while the engine has applied
     * nothing since or they are younger than {@link #ADL_REUSE_NANOS}, else computed now (see {@link #adl}).
     */
    private AdlQuantiles adl(Engine e, int instrument) {
        AdlQuantiles known = adl.get(instrument);
        long now = System.nanoTime();
        if (known != null && (known.sequence() == e.view().lastSequence()
                || now - adlAt.get(instrument) < ADL_REUSE_NANOS)) {
            return known;
        }
        AdlQuantiles fresh = e.view().adlQuantiles(instrument);
        adl.put(instrument, fresh);
        adlAt.put(instrument, now);
        return fresh;
    }

    /**
     * The account's balances per configured asset, as the margin engine sees them: the cross balance (ledger balance
     * less what isolated positions hold), what isolated positions hold, unrealised PnL, equity, initial and maintenance
     * margin, health, and what a withdrawal may take now (min(balance, equity - initial margin), the engine's limit).
     */
    List<Map<String, Object>> balances(Engine e, long account) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeConfig.Asset asset : gateway.config().assets()) {
            var state = e.view().marginState(account, asset.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asset", asset.symbol());
            m.put("assetId", asset.id());
            m.put("balance", amount(state.balance, asset));
            m.put("isolatedMargin", amount(e.view().ledger().balance(account, asset.id()) - state.balance, asset));
            m.put("unrealizedPnl", amount(state.unrealizedPnl, asset));
            m.put("equity", amount(state.equity, asset));
            m.put("initialMargin", amount(state.initialMargin, asset));
            m.put("maintenanceMargin", amount(state.maintenanceMargin, asset));
            m.put("availableToWithdraw", amount(state.withdrawable(), asset));
            m.put("health", state.health);
            list.add(m);
        }
        return list;
    }

    /** The account's open orders in {@code specs}, oldest first per instrument. */
    static List<Map<String, Object>> openOrders(Engine e, long account, List<InstrumentSpec> specs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstrumentSpec spec : specs) {
            for (Order o : e.view().book(spec.id()).openOrdersOf(account)) {
                list.add(openOrder(e, spec, o));
            }
        }
        return list;
    }

    /** The account's first open order in {@code specs} that {@code which} accepts (oldest first), or null. */
    static Map<String, Object> openOrder(Engine e, long account, List<InstrumentSpec> specs,
                                         java.util.function.Predicate<Order> which) {
        for (InstrumentSpec spec : specs) {
            for (Order o : e.view().book(spec.id()).openOrdersOf(account)) {
                if (which.test(o)) {
                    return openOrder(e, spec, o);
                }
            }
        }
        return null;
    }

    /**
     * One open order as the API shows it; its client order id as the client gave it (a text as a string, a number as
     * a number: the engine keeps the texts of open orders).
     */
    private static Map<String, Object> openOrder(Engine e, InstrumentSpec spec, Order o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", o.orderId());
        Object clientOrderId = ClientOrderId.echo(o.clientOrderId(), e.view().clientOrderText(o.orderId()));
        if (clientOrderId != null) {
            m.put("clientOrderId", clientOrderId);
        }
        m.put("instrument", spec.id());
        m.put("side", o.side() == Side.BUY ? "buy" : "sell");
        m.put("type", String.valueOf(o.type()).toLowerCase(Locale.ROOT));
        m.put("timeInForce", String.valueOf(o.timeInForce()).toLowerCase(Locale.ROOT));
        m.put("price", price(o.price(), spec));
        m.put("quantity", quantity(o.quantity(), spec));
        m.put("filled", quantity(o.filled(), spec));
        m.put("remaining", quantity(o.remaining(), spec));
        m.put("triggerPrice", o.triggerPrice() == 0 ? null : price(o.triggerPrice(), spec));
        m.put("status", o.filled() == 0 ? "new" : "partially_filled");
        return m;
    }

    /** The configured asset an instrument settles in (config validation guarantees there is one). */
    private NodeConfig.Asset settlement(InstrumentSpec spec) {
        for (NodeConfig.Asset asset : gateway.config().assets()) {
            if (asset.symbol().equals(spec.settlementAsset())) {
                return asset;
            }
        }
        throw new IllegalStateException("no asset " + spec.settlementAsset() + " for instrument " + spec.id());
    }

    /** Minor units of an asset as a decimal with all its decimals, as {@code /v1/accounts} shows amounts. */
    private static String amount(long minor, NodeConfig.Asset asset) {
        return Decimals.amount(minor, asset.scale());
    }
}
