package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.risk.PositionBook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic state machine: applies sequenced commands, one at a time, to the instruments' books, the
 * positions and the double-entry ledger, and reports every effect, in order, to one {@link EngineEvents} listener.
 * Pure: no clock (time is {@link Command#timestamp}), no I/O, no threads; the same command log always produces the
 * same events and the same {@link #stateHash()}.
 *
 * <p><b>Thread confinement.</b> All methods must be called from one thread, the engine thread; the listener is
 * called on it too.
 *
 * <p><b>Envelope rules.</b> A command's sequence must be exactly one more than the previous applied command's
 * (else {@code COMMAND_OUT_OF_ORDER}) and its timestamp must not be earlier (else
 * {@code TIMESTAMP_WENT_BACKWARDS}); a rejected envelope changes nothing, not even the expected sequence. Before an
 * accepted command runs, GTD orders due by its timestamp expire (books in instrument id order), so no command ever
 * sees an order that should already be gone. Every command ends with {@code commandCompleted}.
 *
 * <p><b>Clearing.</b> Every fill updates the account's position and posts realised PnL and fees in the instrument's
 * settlement asset ({@link Clearing}); deposits and withdrawals move value across the venue's boundary. Per asset,
 * the ledger's accounts always sum to deposits minus withdrawals ({@link #ledger()}).
 */
public final class Engine {
    private final EngineEvents events;
    private final EngineConfig config;
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final Ledger ledger;
    /** Registered assets by symbol: instruments name their settlement asset by symbol. Not on the command path. */
    private final Map<String, AssetSpec> assetsBySymbol = new HashMap<>();
    /** Instrument ids in ascending order: the deterministic iteration order for cross-instrument work. */
    private int[] instrumentIds = new int[16];
    private int instrumentCount;

    private long lastSequence;
    private long lastTimestamp;
    private long nextExpiry = Long.MAX_VALUE;

    public Engine(EngineEvents events, EngineConfig config) {
        this.events = events;
        this.config = config;
        this.books = new OrderBook[config.maxInstruments()];
        this.clearings = new Clearing[config.maxInstruments()];
        this.ledger = new Ledger(events);
    }

    public Engine(EngineEvents events) {
        this(events, EngineConfig.defaults());
    }

    /** Applies one command. Never throws for bad input: every refusal is a {@code commandRejected} event. */
    public void apply(Command c) {
        long sequence = c.sequence;
        long timestamp = c.timestamp;
        if (sequence != lastSequence + 1) {
            reject(c, RejectReason.COMMAND_OUT_OF_ORDER);
            return;
        }
        if (timestamp < lastTimestamp) {
            reject(c, RejectReason.TIMESTAMP_WENT_BACKWARDS);
            return;
        }
        lastSequence = sequence;
        lastTimestamp = timestamp;
        ledger.setContext(sequence, timestamp);
        if (timestamp >= nextExpiry) {
            expireDue(sequence, timestamp);
        }
        CommandType type = c.type;
        if (type == null) {
            reject(c, RejectReason.UNKNOWN_COMMAND);
        } else {
            switch (type) {
                case PLACE_ORDER:
                    place(c);
                    break;
                case CANCEL_ORDER:
                    cancel(c);
                    break;
                case AMEND_ORDER:
                    amend(c);
                    break;
                case CANCEL_ALL:
                    cancelAll(c);
                    break;
                case SET_MARK_PRICE:
                    setMarkPrice(c);
                    break;
                case ADD_INSTRUMENT:
                    addInstrument(c);
                    break;
                case TIME_TICK:
                    break;
                case ADD_ASSET:
                    addAsset(c);
                    break;
                case DEPOSIT:
                    deposit(c);
                    break;
                case WITHDRAW:
                    withdraw(c);
                    break;
                default:
                    reject(c, RejectReason.UNKNOWN_COMMAND);
            }
        }
        events.commandCompleted(sequence, timestamp);
    }

    private void place(Command c) {
        OrderBook book = tradableBook(c);
        if (book != null) {
            book.place(c);
            nextExpiry = Math.min(nextExpiry, book.nextExpiry());
        }
    }

    private void amend(Command c) {
        OrderBook book = tradableBook(c);
        if (book != null) {
            book.amend(c);
        }
    }

    private void cancel(Command c) {
        OrderBook book = book(c);
        if (book != null) {
            book.cancel(c);
        }
    }

    private void cancelAll(Command c) {
        if (c.account <= 0) {
            reject(c, RejectReason.INVALID_ACCOUNT);
            return;
        }
        if (c.instrument == Command.ALL_INSTRUMENTS) {
            for (int i = 0; i < instrumentCount; i++) {
                OrderBook book = books[instrumentIds[i]];
                book.setContext(c.sequence, c.timestamp);
                book.cancelAll(c.account);
            }
            return;
        }
        OrderBook book = book(c);
        if (book != null) {
            book.cancelAll(c.account);
        }
    }

    private void setMarkPrice(Command c) {
        OrderBook book = book(c);
        if (book != null) {
            book.setMarkPrice(c.price);
        }
    }

    private void addInstrument(Command c) {
        InstrumentSpec spec = c.instrumentSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_INSTRUMENT : spec.validate();
        if (reason == null && spec.id() >= books.length) {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        if (reason == null && books[spec.id()] != null) {
            reason = RejectReason.INSTRUMENT_EXISTS;
        }
        AssetSpec settlement = reason == null ? assetsBySymbol.get(spec.settlementAsset()) : null;
        if (reason == null && settlement == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        }
        if (reason == null && settlement.scale() != spec.settlementScale()) {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        if (reason != null) {
            events.commandRejected(c.sequence, c.timestamp, CommandType.ADD_INSTRUMENT, spec == null ? -1 : spec.id(), 0,
                    0, c.account, reason);
            return;
        }
        int id = spec.id();
        Clearing clearing = new Clearing(spec, settlement.id(), ledger);
        clearings[id] = clearing;
        books[id] = new OrderBook(spec, events, clearing, config.expectedOrdersPerBook(),
                config.maxOpenOrdersPerBook());
        insertInstrumentId(id);
        events.instrumentAdded(c.sequence, c.timestamp, spec);
    }

    private void addAsset(Command c) {
        AssetSpec spec = c.assetSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_ASSET : null;
        if (reason == null && assetsBySymbol.containsKey(spec.symbol())) {
            reason = RejectReason.ASSET_EXISTS;
        }
        if (reason == null) {
            reason = ledger.addAsset(spec);
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        assetsBySymbol.put(spec.symbol(), spec);
    }

    private void deposit(Command c) {
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT : ledger.deposit(c.account, c.asset, c.amount);
        if (reason != null) {
            reject(c, reason);
        }
    }

    /**
     * Interim rule until the margin engine lands: an account may withdraw its free balance only while it has no open
     * position and no open order in an instrument settled in that asset ({@code WITHDRAWAL_BREACHES_MARGIN}
     * otherwise). That is never unsafe; it is stricter than the initial-margin rule that will replace it.
     */
    private void withdraw(Command c) {
        RejectReason reason = null;
        if (c.account <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (ledger.asset(c.asset) != null && hasExposure(c.account, c.asset)) {
            reason = RejectReason.WITHDRAWAL_BREACHES_MARGIN;
        } else {
            reason = ledger.withdraw(c.account, c.asset, c.amount, 0);
        }
        if (reason != null) {
            reject(c, reason);
        }
    }

    private boolean hasExposure(long account, int asset) {
        for (int i = 0; i < instrumentCount; i++) {
            int id = instrumentIds[i];
            if (clearings[id].asset() == asset
                    && (clearings[id].netPosition(account) != 0 || books[id].openOrders(account) > 0)) {
                return true;
            }
        }
        return false;
    }

    private void insertInstrumentId(int id) {
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

    private void expireDue(long sequence, long timestamp) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < instrumentCount; i++) {
            OrderBook book = books[instrumentIds[i]];
            if (book.nextExpiry() <= timestamp) {
                book.setContext(sequence, timestamp);
                book.expireDue(timestamp);
            }
            earliest = Math.min(earliest, book.nextExpiry());
        }
        nextExpiry = earliest;
    }

    /** The command's book with the context set, or null after rejecting {@code UNKNOWN_INSTRUMENT}. */
    private OrderBook book(Command c) {
        int id = c.instrument;
        OrderBook book = id >= 0 && id < books.length ? books[id] : null;
        if (book == null) {
            reject(c, RejectReason.UNKNOWN_INSTRUMENT);
            return null;
        }
        book.setContext(c.sequence, c.timestamp);
        return book;
    }

    /** As {@link #book}, and also rejects {@code INSTRUMENT_NOT_TRADING} once a dated instrument has expired. */
    private OrderBook tradableBook(Command c) {
        OrderBook book = book(c);
        if (book == null) {
            return null;
        }
        long expiry = book.spec().expiryTimestamp();
        if (expiry != 0 && c.timestamp >= expiry) {
            reject(c, RejectReason.INSTRUMENT_NOT_TRADING);
            return null;
        }
        return book;
    }

    private void reject(Command c, RejectReason reason) {
        events.commandRejected(c.sequence, c.timestamp, c.type, c.instrument, c.orderId, c.clientOrderId, c.account,
                reason);
    }

    // ------------------------------------------------------------------------------------------------ queries

    public long lastSequence() {
        return lastSequence;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The book of an instrument, or null. Read-only use between commands, on the engine thread. */
    public OrderBook book(int instrument) {
        return instrument >= 0 && instrument < books.length ? books[instrument] : null;
    }

    /** The positions of an instrument, or null. Read-only use between commands, on the engine thread. */
    public PositionBook positions(int instrument) {
        return instrument >= 0 && instrument < clearings.length && clearings[instrument] != null
                ? clearings[instrument].positions() : null;
    }

    /** The ledger: balances, postings and conservation. Read-only use between commands, on the engine thread. */
    public Ledger ledger() {
        return ledger;
    }

    /** Instrument ids in ascending order (a new list). */
    public List<Integer> instrumentIds() {
        List<Integer> ids = new ArrayList<>(instrumentCount);
        for (int i = 0; i < instrumentCount; i++) {
            ids.add(instrumentIds[i]);
        }
        return Collections.unmodifiableList(ids);
    }

    /**
     * A hash of the whole state: envelope counters, the ledger, then per instrument in id order its spec, book and
     * positions.
     * Two engines that applied the same log have the same hash; replicas and replays compare it.
     */
    public long stateHash() {
        StateHasher hasher = new StateHasher();
        hasher.add(lastSequence).add(lastTimestamp).add(instrumentCount);
        ledger.hashState(hasher);
        for (int i = 0; i < instrumentCount; i++) {
            OrderBook book = books[instrumentIds[i]];
            hasher.add(book.spec().toString());
            book.hashState(hasher);
            clearings[instrumentIds[i]].positions().hashState(hasher);
        }
        return hasher.value();
    }
}
