package io.meridian.node.http;

import com.fasterxml.jackson.databind.util.RawValue;
import io.meridian.auth.AgentKey;
import io.meridian.engine.Engine;
import io.meridian.matching.BookView;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionSpec;
import io.meridian.model.Side;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.Decimals;
import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Times;
import io.meridian.engine.RiskScaleView;
import io.meridian.node.history.DayStats;
import io.meridian.node.history.CandleHistory;
import io.meridian.node.history.InsuranceFundHistory;
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
                Route.of(GET, "/v1/instruments", pub, read, this::instruments).query("instrument"),
                Route.of(GET, "/v1/book/{instrument}", pub, read, this::book).query("depth"),
                Route.of(GET, "/v1/ticker", pub, read, this::tickers).query("instrument"),
                Route.of(GET, "/v1/ticker/{instrument}", pub, read, this::ticker),
                Route.of(GET, "/v1/trades/{instrument}", pub, read, this::trades).query("limit"),
                Route.of(GET, "/v1/funding/{instrument}", pub, read, this::funding).query("limit"),
                Route.of(GET, "/v1/candles/{instrument}", pub, read, this::candles)
                        .query("interval", "limit", "from", "to", "startTime", "endTime"),
                Route.of(GET, "/v1/indexes", pub, read, this::indexes),
                Route.of(GET, "/v1/option-margin", pub, read, this::optionMargin),
                Route.of(GET, "/v1/insurance-fund", pub, read, this::insuranceFund),
                Route.of(GET, "/v1/insurance-fund/history", pub, read, this::insuranceFundHistory)
                        .query("asset", "interval", "limit"),
                Route.of(GET, "/v1/options", pub, read, this::options).query("index"));
    }

    /**
     * {@code GET /v1/instruments[?instrument=I]}: every instrument (or one) with its terms, in config order, and its
     * limits, fees and leverage in force (read on the engine thread: the risk multiplier moves the band and the
     * position limit).
     */
    private void instruments(Exchange x) throws RequestException {
        List<InstrumentSpec> specs = gateway.instruments().onlyOrAll(x.query("instrument"));
        x.reply(gateway.engine().query(e -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (InstrumentSpec spec : specs) {
                list.add(instrument(e, spec));
            }
            return list;
        }));
    }

    /** One instrument's terms and limits (engine thread). */
    private Map<String, Object> instrument(Engine e, InstrumentSpec spec) {
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
            Times.put(m, "expiry", spec.expiryTimestamp());
            m.put("contractMultiplier", spec.contractMultiplier().toPlainString());
        }
        m.put("minQuantity", quantity(spec.minQuantity(), spec));
        m.put("maxQuantity", quantity(spec.maxQuantity(), spec));
        m.put("maxPrice", price(spec.maxPrice(), spec));
        RiskScaleView risk = e.view().riskScale(spec.id());
        long band = risk != null ? risk.priceBandPpm() : e.view().book(spec.id()).spec().priceBandPpm();
        m.put("priceBand", band == 0 ? null : GovernanceRoutes.ratio(band));
        m.put("positionLimit", risk == null || risk.positionLimit() == 0 ? null
                : quantity(risk.positionLimit(), spec));
        m.put("maxLeverage", risk == null || risk.tiers().isEmpty() ? null : risk.tiers().get(0).maxLeverage());
        m.put("makerFee", GovernanceRoutes.ratio(spec.makerFeePpm()));
        m.put("takerFee", GovernanceRoutes.ratio(spec.takerFeePpm()));
        return m;
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
        x.reply(gateway.engine().history((e, h) -> ticker(e, h.days(), spec)));
    }

    /** {@code GET /v1/ticker[?instrument=I]}: every instrument's ticker (or one's), in config order. */
    private void tickers(Exchange x) throws RequestException {
        List<InstrumentSpec> specs = gateway.instruments().onlyOrAll(x.query("instrument"));
        x.reply(gateway.engine().history((e, h) -> {
            List<Map<String, Object>> list = new ArrayList<>(specs.size());
            for (InstrumentSpec spec : specs) {
                list.add(ticker(e, h.days(), spec));
            }
            return list;
        }));
    }

    /**
     * The book's top into {@code body}: {@code bestBid}, {@code bestBidSize}, {@code bestAsk}, {@code bestAskSize},
     * null for a side with no level (the ticker's and the option chain's). Engine thread.
     */
    static void putTop(Map<String, Object> body, BookView book, InstrumentSpec spec) {
        long bid = book.bestBid();
        long ask = book.bestAsk();
        boolean hasBid = bid > 0 && bid != Long.MIN_VALUE && book.depth(Side.BUY) > 0;
        boolean hasAsk = ask > 0 && ask != Long.MAX_VALUE && book.depth(Side.SELL) > 0;
        body.put("bestBid", hasBid ? price(bid, spec) : null);
        body.put("bestBidSize", hasBid ? quantity(book.levelQuantity(Side.BUY, 0), spec) : null);
        body.put("bestAsk", hasAsk ? price(ask, spec) : null);
        body.put("bestAskSize", hasAsk ? quantity(book.levelQuantity(Side.SELL, 0), spec) : null);
    }

    private static Map<String, Object> ticker(Engine e, DayStats days, InstrumentSpec spec) {
        var book = e.view().book(spec.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instrument", spec.id());
        body.put("symbol", spec.symbol());
        body.put("sequence", e.lastSequence());
        Times.put(body, "timestamp", e.lastTimestamp());
        body.put("mark", price(book.markPrice(), spec));
        body.put("last", book.lastTradePrice() == 0 ? null : price(book.lastTradePrice(), spec));
        putTop(body, book, spec);
        body.put("openInterest", quantity(e.view().positions(spec.id()).openInterest(), spec));
        DayStats.Day day = days.day(spec.id(), e.lastTimestamp());
        boolean traded = day.count() > 0;
        body.put("open", traded ? price(day.open(), spec) : null);
        body.put("high", traded ? price(day.high(), spec) : null);
        body.put("low", traded ? price(day.low(), spec) : null);
        body.put("volume", quantity(day.volume(), spec));
        body.put("quoteVolume", day.quoteVolume() == Long.MAX_VALUE ? null : BigDecimal.valueOf(day.quoteVolume())
                .multiply(spec.tickSize()).multiply(spec.lotSize()).multiply(spec.contractMultiplier())
                .stripTrailingZeros().toPlainString());
        body.put("priceChange", traded ? price(day.close() - day.open(), spec) : null);
        body.put("priceChangePercent", traded ? BigDecimal.valueOf(day.close() - day.open())
                .multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(day.open()), 4,
                        java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() : null);
        body.put("count", day.count());
        Times.put(body, "openTime", day.openTime());
        // Index and funding exist only for an instrument priced from an index (a PricingSpec); null otherwise.
        var pricing = e.view().pricing(spec.id());
        long index = pricing == null ? 0 : e.view().indexPrice(pricing.indexId());
        boolean funding = pricing != null && pricing.hasFunding();
        body.put("index", index <= 0 ? null : Decimals.decimal(index, spec.tickSize()
                .divide(BigDecimal.valueOf(pricing.unitsPerTick()), MathContext.DECIMAL128)));
        body.put("fundingRate", funding ? Decimals.decimal(pricing.predictedRate(), RATE_UNIT) : null);
        body.put("lastFundingRate", funding ? Decimals.decimal(pricing.lastRate(), RATE_UNIT) : null);
        Times.put(body, "nextFundingTime", funding ? pricing.nextFundingTime() : null);
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
                Times.put(m, "timestamp", t.timestamp());
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
                Times.put(m, "timestamp", f.timestamp());
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
        if ((x.hasQuery("from") || x.hasQuery("to")) && (x.hasQuery("startTime") || x.hasQuery("endTime"))) {
            throw RequestException.badField("from and to (nanoseconds) or startTime and endTime (milliseconds): not both");
        }
        long from = x.hasQuery("startTime") ? x.number("startTime", 0, 0, Paging.MAX_MILLIS) * 1_000_000L
                : x.number("from", 0, 0, Long.MAX_VALUE);
        long to = x.hasQuery("endTime") ? Paging.endOfMilli(x.number("endTime", 0, 0, Paging.MAX_MILLIS))
                : x.number("to", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        if (to < from) {
            throw RequestException.badField("to: must not be before from");
        }
        x.reply(gateway.engine().candles(spec.id(), interval, from, to, limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (CandleHistory.Candle c : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                Times.put(m, "openTime", c.openTime());
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

    /**
     * {@code GET /v1/insurance-fund}: the fund per configured asset (its cash, the unrealised PnL of the positions it
     * took over at the marks, its equity, their maintenance margin, the PnL it realised on them) and its inventory per
     * instrument (signed size; only where it holds one). Public: a venue's solvency buffer is everyone's business.
     */
    private void insuranceFund(Exchange x) {
        List<NodeConfig.Asset> assets = gateway.config().assets();
        List<InstrumentSpec> instruments = gateway.instruments().all();
        x.reply(gateway.engine().query(e -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sequence", e.view().lastSequence());
            List<Map<String, Object>> perAsset = new ArrayList<>();
            for (NodeConfig.Asset asset : assets) {
                var state = e.view().insuranceFundState(asset.id());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("asset", asset.symbol());
                m.put("assetId", asset.id());
                m.put("balance", minor(state.balance, asset.scale()));
                m.put("unrealizedPnl", minor(state.unrealizedPnl, asset.scale()));
                m.put("equity", minor(state.equity, asset.scale()));
                m.put("maintenanceMargin", minor(state.maintenanceMargin, asset.scale()));
                m.put("realizedPnl", minor(e.view().insuranceFundRealizedPnl(asset.id()), asset.scale()));
                perAsset.add(m);
            }
            answer.put("assets", perAsset);
            List<Map<String, Object>> inventory = new ArrayList<>();
            for (InstrumentSpec spec : instruments) {
                long lots = e.view().insuranceFundInventory(spec.id());
                if (lots != 0) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("instrument", spec.id());
                    m.put("symbol", spec.symbol());
                    m.put("size", quantity(lots, spec));
                    inventory.add(m);
                }
            }
            answer.put("inventory", inventory);
            return answer;
        }));
    }

    /**
     * {@code GET /v1/insurance-fund/history?asset=A[&interval=change|1m|1h][&limit=N]}: the fund's cash balance in the
     * asset (a symbol or an id) over time, oldest first ({@link InsuranceFundHistory}; default interval 1m, limit
     * 1..1000, default 500). Public, as the fund itself is.
     */
    private void insuranceFundHistory(Exchange x) throws RequestException {
        String named = x.query("asset");
        if (named == null) {
            throw RequestException.badField("asset: required (a symbol or an id, as GET /v1/insurance-fund lists them)");
        }
        NodeConfig.Asset asset = gateway.config().assets().stream()
                .filter(a -> a.symbol().equals(named) || Integer.toString(a.id()).equals(named)).findFirst()
                .orElseThrow(() -> RequestException.badField("asset: no asset " + EdgeDecimals.echo(named)
                        + " (a symbol or an id, as GET /v1/insurance-fund lists them)"));
        String given = x.query("interval");
        InsuranceFundHistory.Interval interval = given == null ? InsuranceFundHistory.Interval.M1
                : InsuranceFundHistory.Interval.parse(given);
        if (interval == null) {
            throw RequestException.badField("interval: must be one of change, 1m, 1h, was " + EdgeDecimals.echo(given));
        }
        int limit = (int) x.number("limit", 500, 1, InsuranceFundHistory.PER_SERIES);
        x.reply(gateway.engine().history((e, h) -> h.insuranceFund().recent(asset.id(), interval, limit))
                .thenApplyAsync(list -> {
                    List<Map<String, Object>> entries = new ArrayList<>(list.size());
                    for (InsuranceFundHistory.Entry entry : list) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        Times.put(m, "timestamp", entry.time());
                        m.put("sequence", entry.sequence());
                        m.put("balance", minor(entry.balance(), asset.scale()));
                        m.put("low", minor(entry.low(), asset.scale()));
                        m.put("high", minor(entry.high(), asset.scale()));
                        m.put("changes", entry.changes());
                        m.put("net", minor(entry.net(), asset.scale()));
                        entries.add(m);
                    }
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("asset", asset.symbol());
                    answer.put("assetId", asset.id());
                    answer.put("interval", given == null ? "1m" : given);
                    answer.put("entries", entries);
                    return answer;
                }, x.executor()));
    }

    /** {@code GET /v1/options?index=N}: the live option chain on an index ({@link OptionChain}); 404 for no index. */
    private void options(Exchange x) throws RequestException {
        String text = x.query("index");
        if (text == null) {
            throw RequestException.badField("index: required (an index id, as GET /v1/indexes lists them)");
        }
        long id = io.meridian.node.codec.Ids.number(text, "index");
        NodeConfig.Index index = gateway.config().markets().indexes().stream().filter(i -> i.id() == id).findFirst()
                .orElseThrow(() -> RequestException.notFound("no index " + id));
        x.reply(gateway.engine().query(e -> OptionChain.of(e, index.id(), index.priceDecimals(),
                gateway.instruments().byId(), gateway.optionTerms())));
    }

    /** Minor units of an asset as its decimal string, all its decimals. */
    private static String minor(long units, int scale) {
        return BigDecimal.valueOf(units, scale).toPlainString();
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
