package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.RejectReason;
import io.meridian.model.RestingTotals;
import io.meridian.model.Side;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.margin.MarginModel;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What every handler of the engine shares: the instruments' books, clearing, mark and funding state and margin
 * models (by instrument id), the indexes (by index id), the instrument ids in ascending order (the deterministic
 * order of cross-instrument work), the ledger, the listener, and the due times of the timers (GTD expiry, premium
 * samples and funding, option expiry). Also the margin engine's read-only view of the venue ({@link MarginEngine.Venue}:
 * balances, reference prices and resting orders).
 *
 * <p>Owns no rules: the handlers decide, this holds. Engine thread only.
 */
final class Markets implements MarginEngine.Venue {
    /** The listener behind the outcome tap: what fills a command's outcome goes here. */
    final EngineEvents events;
    /**
     * The host's own listener, for the books' market data (trades, L2/L3 deltas, marks), which says nothing of a
     * command's outcome and is the most frequent output: it skips the tap.
     */
    final EngineEvents marketData;
    final EngineConfig config;
    final Ledger ledger;
    final OrderBook[] books;
    final Clearing[] clearings;
    /** Mark and funding state by instrument id; null for instruments whose mark is set by SET_MARK_PRICE. */
    final InstrumentPricing[] pricings;
    final MarginModel[] models;
    /** Registered assets by symbol: instruments name their settlement asset by symbol. Not on the command path. */
    final Map<String, AssetSpec> assetsBySymbol = new HashMap<>();
    /** Indexes by id; null where none was created. */
    PriceIndex[] indexes = new PriceIndex[8];
    /** Instrument ids in ascending order: the deterministic iteration order for cross-instrument work. */
    int[] instrumentIds = new int[16];
    int instrumentCount;

    long lastSequence;
    long lastTimestamp;
    /** The earliest GTD expiry of any book; {@link Long#MAX_VALUE} when none. */
    long nextExpiry = Long.MAX_VALUE;
    /** The earliest premium sample or funding settlement due; {@link Long#MAX_VALUE} when none. */
    long nextPricingDue = Long.MAX_VALUE;
    /** The earliest option expiry not yet reached; {@link Long#MAX_VALUE} when none. */
    long nextOptionExpiry = Long.MAX_VALUE;

    Markets(EngineEvents events, EngineEvents marketData, EngineConfig config, Ledger ledger) {
        this.events = events;
        this.marketData = marketData;
        this.config = config;
        this.ledger = ledger;
        this.books = new OrderBook[config.maxInstruments()];
        this.clearings = new Clearing[config.maxInstruments()];
        this.pricings = new InstrumentPricing[config.maxInstruments()];
        this.models = new MarginModel[config.maxInstruments()];
    }

    // ------------------------------------------------------------------------------------------------ MarginEngine.Venue

    @Override
    public long balance(long account, int asset) {
        return ledger.balance(account, asset);
    }

    @Override
    public long referencePrice(int instrument) {
        OrderBook book = books[instrument];
        return book.markPrice() != 0 ? book.markPrice() : book.lastTradePrice();
    }

    @Override
    public long restingLots(long account, int instrument, Side side) {
        return books[instrument].restingLots(account, side);
    }

    @Override
    public RestingTotals restingTotals(long account, int instrument) {
        return books[instrument].restingTotals(account);
    }

    @Override
    public long restingTotalsMade(int instrument) {
        return books[instrument].restingTotalsMade();
    }

    // ------------------------------------------------------------------------------------------------ lookups

    /** The book of an instrument id, or null when there is none. */
    OrderBook book(int instrument) {
        return instrument >= 0 && instrument < books.length ? books[instrument] : null;
    }

    /** The command's book with the context set, or null after rejecting {@code UNKNOWN_INSTRUMENT}. */
    OrderBook book(Command c) {
        OrderBook book = book(c.instrument);
        if (book == null) {
            reject(c, RejectReason.UNKNOWN_INSTRUMENT);
            return null;
        }
        book.setContext(c.sequence, c.timestamp);
        return book;
    }

    /** The index with this id, or null. */
    PriceIndex index(int id) {
        return id >= 0 && id < indexes.length ? indexes[id] : null;
    }

    /** The mark and funding state of an instrument priced from an index, or null. */
    InstrumentPricing pricing(int instrument) {
        return instrument >= 0 && instrument < pricings.length ? pricings[instrument] : null;
    }

    void addIndex(PriceIndex index) {
        int id = index.spec().id();
        if (id >= indexes.length) {
            indexes = Arrays.copyOf(indexes, Math.max(id + 1, indexes.length * 2));
        }
        indexes[id] = index;
    }

    void insertInstrumentId(int id) {
        if (instrumentCount == instrumentIds.length) {
            instrumentIds = Arrays.copyOf(instrumentIds, instrumentCount * 2);
        }
        int i = instrumentCount++;
        while (i > 0 && instrumentIds[i - 1] > id) {
            instrumentIds[i] = instrumentIds[i - 1];
            i--;
        }
        instrumentIds[i] = id;
    }

    /** Rejects the command with {@code reason} (a {@code commandRejected} event naming its fields). */
    void reject(Command c, RejectReason reason) {
        events.commandRejected(c.sequence, c.timestamp, c.type, c.instrument, c.orderId, c.clientOrderId, c.account,
                reason);
    }
}
