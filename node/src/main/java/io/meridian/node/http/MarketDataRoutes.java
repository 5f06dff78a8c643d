package io.meridian.node.http;

import com.fasterxml.jackson.databind.util.RawValue;
import io.meridian.auth.AgentKey;
import io.meridian.engine.Engine;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionSpec;
import io.meridian.model.Side;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.Decimals;
import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.RequestException;
import io.meridian.node.history.CandleHistory;
import io.meridian.node.history.FundingHistory;
import io.meridian.node.history.TradeHistory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.meridian.node.codec.Decimals.price;
import static io.meridian.node.codec.Decimals.quantity;
import static io.netty.handler.codec.http.HttpMethod.GET;

/**
 * Public market data: instruments, books, tickers, the public history (trades, candles, funding) and the indexes.
 * Reads of engine state run on the engine thread; the histories are copied there and turned into JSON on the
 * connection's I/O thread, so the engine thread only copies.
 */
final class MarketDataRoutes {
    /** Funding rates are integers in 1e-9 per interval; the API shows them as decimal fractions ("0.0001"). */
    static final BigDecimal RATE_UNIT = BigDecimal.ONE.movePointLeft(9);

    private final Gateway gateway;

    MarketDataRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        AuthRequirement pub = AuthRequirement.PUBLIC;
        RateClass read = RateClass.PUBLIC_READ;
        return List.of(
                Route.of(GET, "/v1/instruments", pub, read, this::instruments),
                Route.of(GET, "/v1/book/{instrument}", pub, read, this::book),
                Route.of(GET, "/v1/ticker/{instrument}", pub, read, this::ticker),
                Route.of(GET, "/v1/trades/{instrument}", pub, read, this::trades),
                Route.of(GET, "/v1/funding/{instrument}", pub, read, this::funding),
                Route.of(GET, "/v1/candles/{instrument}", pub, read, this::candles),
                Route.of(GET, "/v1/indexes", pub, read, this::indexes),
                Route.of(GET, "/v1/option-margin", pub, read, this::optionMargin));
    }

    /** {@code GET /v1/instruments}: every instrument with its terms, in config order. */
    private void instruments(Exchange x) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstrumentSpec spec : gateway.instruments().byId().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", spec.id());
            m.put("symbol", spec.symbol());
            m.put("kind", spec.kind().name().toLowerCase(Locale.ROOT));
            m.put("base", spec.baseAsset());
            m.put("settle", spec.settlementAsset());
            m.put("tickSize", spec.tickSize().toPlainString());
            m.put("lotSize", spec.lotSize().toPlainString());
            NodeConfig.Instrument perpetual = gateway.perpetual(spec.id());
            if (perpetual != null && perpetual.index() != null) {
                m.put("index", perpetual.index());
            }
            OptionSpec option = gateway.optionTerms().get(spec.id());
            if (option != null) {
                m.put("index", option.indexId());
                m.put("strike", option.strike().toPlainString());
                m.put("right", option.right().name().toLowerCase(Locale.ROOT));
                m.put("expiry", spec.expiryTimestamp());
                m.put("contractMultiplier", spec.contractMultiplier().toPlainString());
            }
            list.add(m);
        }
        x.send(200, list);
    }

    /** {@code GET /v1/book/{instrument}?depth=N}: the L2 snapshot. */
    private void book(Exchange x) throws RequestException {
        InstrumentSpec spec = gateway.instruments().require(x.parameter("instrument"));
        int depth = (int) x.number("depth", 20, 1, 1000);
        // The engine thread only copies the levels; the JSON is written by hand on the I/O thread (docs/api.md).
        x.reply(gateway.engine().query(e -> e.view().book(spec.id()).snapshot(depth)).thenApplyAsync(s -> new RawValue(
                io.meridian.node.marketdata.BookText.rest(s, spec)), x.executor()));
    }

    /** {@code GET /v1/ticker/{instrument}}. */
    private void ticker(Exchange x) throws RequestException {
        InstrumentSpec spec = gateway.instruments().require(x.parameter("instrument"));
        x.reply(gateway.engine().query(e -> ticker(e, spec)));
    }

    private static Map<String, Object> ticker(Engine e, InstrumentSpec spec) {
        var book = e.view().book(spec.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instrument", spec.id());
        body.put("sequence", e.lastSequence());
        body.put("mark", price(book.markPrice(), spec));
        body.put("last", book.lastTradePrice() == 0 ? null : price(book.lastTradePrice(), spec));
        long bid = book.bestBid();
        long ask = book.bestAsk();
        body.put("bestBid", bid <= 0 || bid == Long.MIN_VALUE ? null : price(bid, spec));
        body.put("bestAsk", ask <= 0 || ask == Long.MAX_VALUE ? null : price(ask, spec));
        body.put("openInterest", quantity(e.view().positions(spec.id()).openInterest(), spec));
        // Index and funding exist only for an instrument priced from an index (a PricingSpec); null otherwise.
        var pricing = e.view().pricing(spec.id());
        long index = pricing == null ? 0 : e.view().indexPrice(pricing.indexId());
        boolean funding = pricing != null && pricing.hasFunding();
        body.put("index", index <= 0 ? null : Decimals.decimal(index, spec.tickSize()
                .divide(BigDecimal.valueOf(pricing.unitsPerTick()), MathContext.DECIMAL128)));
        body.put("fundingRate", funding ? Decimals.decimal(pricing.predictedRate(), RATE_UNIT) : null);
        body.put("lastFundingRate", funding ? Decimals.decimal(pricing.lastRate(), RATE_UNIT) : null);
        body.put("nextFundingTime", funding ? pricing.nextFundingTime() : null);
        return body;
    }

    /** {@code GET /v1/trades/{instrument}?limit=N}: the newest public trades first. */
    private void trades(Exchange x) throws RequestException {
        InstrumentSpec spec = gateway.instruments().require(x.parameter("instrument"));
        int limit = (int) x.number("limit", 100, 1, TradeHistory.PER_INSTRUMENT);
        x.reply(gateway.engine().trades(spec.id(), limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (TradeHistory.Trade t : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sequence", t.sequence());
                m.put("timestamp", t.timestamp());
                m.put("instrument", spec.id());
                m.put("tradeId", t.tradeId());
                m.put("side", t.takerSide() == Side.BUY ? "buy" : "sell");
                m.put("price", price(t.price(), spec));
                m.put("quantity", quantity(t.quantity(), spec));
                out.add(m);
            }
            return out;
        }, x.executor()));
    }

    /** {@code GET /v1/funding/{instrument}?limit=N}: the newest applied funding rates first. */
    private void funding(Exchange x) throws RequestException {
        InstrumentSpec spec = gateway.instruments().require(x.parameter("instrument"));
        int limit = (int) x.number("limit", 100, 1, FundingHistory.PER_INSTRUMENT);
        x.reply(gateway.engine().funding(spec.id(), limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (FundingHistory.Funding f : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sequence", f.sequence());
                m.put("timestamp", f.timestamp());
                m.put("instrument", spec.id());
                m.put("rate", Decimals.decimal(f.rate(), RATE_UNIT));
                m.put("averagePremium", Decimals.decimal(f.averagePremium(), RATE_UNIT));
                m.put("interestRate", Decimals.decimal(f.interestRate(), RATE_UNIT));
                m.put("samples", f.samples());
                m.put("mark", f.markPrice() <= 0 ? null : price(f.markPrice(), spec));
                out.add(m);
            }
            return out;
        }, x.executor()));
    }

    /** {@code GET /v1/candles/{instrument}?interval=I[&limit=N][&from=T][&to=T]}: candles oldest first. */
    private void candles(Exchange x) throws RequestException {
        InstrumentSpec spec = gateway.instruments().require(x.parameter("instrument"));
        String given = x.query("interval");
        if (given == null) {
            throw RequestException.badField("interval: required, one of " + CandleHistory.Interval.names());
        }
        CandleHistory.Interval interval = CandleHistory.Interval.parse(given);
        if (interval == null) {
            throw RequestException.badField("interval: must be one of " + CandleHistory.Interval.names() + ", was "
                    + EdgeDecimals.echo(given));
        }
        int limit = (int) x.number("limit", 500, 1, CandleHistory.PER_INTERVAL);
        long from = x.number("from", 0, 0, Long.MAX_VALUE);
        long to = x.number("to", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        if (to < from) {
            throw RequestException.badField("to: must not be before from");
        }
        x.reply(gateway.engine().candles(spec.id(), interval, from, to, limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (CandleHistory.Candle c : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("openTime", c.openTime());
                m.put("open", price(c.open(), spec));
                m.put("high", price(c.high(), spec));
                m.put("low", price(c.low(), spec));
                m.put("close", price(c.close(), spec));
                m.put("volume", quantity(c.volume(), spec));
                m.put("trades", c.trades());
                out.add(m);
            }
            return out;
        }, x.executor()));
    }

    /** {@code GET /v1/indexes}: what a feed needs to sign reports, and each index's price. */
    private void indexes(Exchange x) {
        x.reply(perIndex((e, index, m) -> {
            m.put("priceDecimals", index.priceDecimals());
            m.put("sources", index.sources());
            List<String> keys = new ArrayList<>();
            for (int source = 0; source < index.sources().size(); source++) {
                AgentKey key = index.sourceKey(source);
                keys.add(key == null ? null : key.toHex());
            }
            m.put("sourceKeys", keys);
            AgentKey surface = index.surfaceFeedKey();
            m.put("surfaceKey", surface == null ? null : surface.toHex());
            long price = e.view().indexPrice(index.id());
            m.put("price", price == 0 ? null : BigDecimal.valueOf(price, index.priceDecimals()).toPlainString());
            m.put("stale", e.view().isIndexStale(index.id()));
            // Annualised, as a fraction (0.6 = 60%); null until the engine has ten minutes of one-minute samples.
            long volatility = e.view().realisedVolatilityPpm(index.id());
            m.put("realisedVolatility", volatility == 0 ? null : BigDecimal.valueOf(volatility, 6).toPlainString());
        }));
    }

    /** {@code GET /v1/option-margin}: per index, the option margin parameters in force. */
    private void optionMargin(Exchange x) {
        x.reply(perIndex((e, index, m) -> m.put("params", e.view().optionMarginSpec(index.id()))));
    }

    /** Fills one index's answer (after its id and symbol), on the engine thread. */
    private interface IndexFields {
        void fill(Engine engine, NodeConfig.Index index, Map<String, Object> answer);
    }

    /** A query answering one object per configured index, in config order: {@code id}, {@code symbol}, then fields. */
    private CompletableFuture<List<Map<String, Object>>> perIndex(IndexFields fields) {
        List<NodeConfig.Index> indexes = gateway.config().markets().indexes();
        return gateway.engine().query(e -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (NodeConfig.Index index : indexes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", index.id());
                m.put("symbol", index.symbol());
                fields.fill(e, index, m);
                list.add(m);
            }
            return list;
        });
    }
}
