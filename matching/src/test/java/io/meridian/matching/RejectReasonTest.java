package io.meridian.matching;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostOnly;
import io.meridian.model.RejectReason;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.meridian.model.Side.BUY;
import static io.meridian.model.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per {@link RejectReason} the order book emits (several for reasons that more than one command can
 * produce). Each asserts the exact reason, that it is the command's only event, and that nothing was half-applied:
 * the book's state hash, positions, counters and next expiry are those from before the command.
 */
class RejectReasonTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;
    private static final long MIN_QUANTITY = 2;
    private static final long MAX_QUANTITY = 1_000;
    private static final long MAX_PRICE = 1_000_000;

    /** Every reason {@link OrderBook} can produce; each has a test below. */
    private static final Set<RejectReason> BOOK_REASONS = EnumSet.of(
            RejectReason.INVALID_ACCOUNT, RejectReason.INVALID_ORDER_ID, RejectReason.DUPLICATE_ORDER_ID,
            RejectReason.MISSING_SIDE, RejectReason.MISSING_ORDER_TYPE, RejectReason.MISSING_TIME_IN_FORCE,
            RejectReason.INVALID_QUANTITY, RejectReason.QUANTITY_ABOVE_MAX, RejectReason.QUANTITY_BELOW_MIN,
            RejectReason.INVALID_PRICE, RejectReason.PRICE_ABOVE_MAX, RejectReason.MARKET_ORDER_WITH_PRICE,
            RejectReason.MARKET_ORDER_MUST_NOT_REST, RejectReason.INVALID_TRIGGER_PRICE,
            RejectReason.TRIGGER_ON_PLAIN_ORDER, RejectReason.INVALID_EXPIRY, RejectReason.EXPIRY_ON_NON_GTD,
            RejectReason.INVALID_DISPLAY_QUANTITY, RejectReason.ICEBERG_NOT_RESTING, RejectReason.POST_ONLY_NOT_RESTING,
            RejectReason.DUPLICATE_CLIENT_ORDER_ID, RejectReason.BOOK_FULL, RejectReason.TOO_MANY_OPEN_ORDERS,
            RejectReason.PRICE_OUTSIDE_BAND,
            RejectReason.REDUCE_ONLY_WOULD_INCREASE, RejectReason.WOULD_TRIGGER_IMMEDIATELY, RejectReason.NO_LIQUIDITY,
            RejectReason.POST_ONLY_WOULD_CROSS, RejectReason.FOK_NOT_FILLABLE, RejectReason.UNKNOWN_ORDER,
            RejectReason.AMEND_NOTHING, RejectReason.AMEND_QUANTITY_NOT_ABOVE_FILLED, RejectReason.INVALID_MARK_PRICE);

    /** Reasons that belong to other layers: the sequencer, the engine's instrument registry, the edge parsers. */
    private static final Set<RejectReason> OTHER_LAYERS = EnumSet.of(
            RejectReason.COMMAND_OUT_OF_ORDER, RejectReason.TIMESTAMP_WENT_BACKWARDS, RejectReason.UNKNOWN_COMMAND,
            RejectReason.CLUSTER_BACKLOG,
            // The engine checks a client order id text against its key before a command reaches a book.
            RejectReason.INVALID_CLIENT_ORDER_ID,
            RejectReason.UNKNOWN_INSTRUMENT, RejectReason.INSTRUMENT_NOT_TRADING, RejectReason.INSTRUMENT_EXISTS,
            RejectReason.INVALID_INSTRUMENT, RejectReason.MALFORMED_NUMBER, RejectReason.TOO_MANY_DECIMALS,
            RejectReason.NUMBER_OUT_OF_RANGE, RejectReason.OFF_TICK, RejectReason.OFF_LOT,
            // Assets, the ledger and the risk engine.
            RejectReason.INVALID_ASSET, RejectReason.ASSET_EXISTS, RejectReason.UNKNOWN_ASSET, RejectReason.INVALID_AMOUNT,
            RejectReason.INSUFFICIENT_BALANCE, RejectReason.INVALID_TRANSFER, RejectReason.INVALID_SUBACCOUNT,
            RejectReason.CHAIN_DEPOSIT_CREDITED, RejectReason.CHAIN_DEPOSIT_GAP, RejectReason.FORCED_WITHDRAWAL_SERVED,
            RejectReason.FORCED_WITHDRAWAL_GAP,
            RejectReason.INSUFFICIENT_MARGIN,
            RejectReason.LEVERAGE_ABOVE_TIER_MAX, RejectReason.POSITION_LIMIT, RejectReason.WITHDRAWAL_BREACHES_MARGIN,
            RejectReason.INVALID_LEVERAGE, RejectReason.INVALID_FEE_TIER, RejectReason.MARGIN_MODE_LOCKED,
            RejectReason.NOT_ISOLATED, RejectReason.ISOLATED_MARGIN_BREACH, RejectReason.MISSING_MARGIN_MODE,
            RejectReason.INVALID_COLLATERAL, RejectReason.INVALID_OPTION_MARGIN, RejectReason.OPTION_MARGIN_UNPRICEABLE,
            // Indexes, oracle reports and pricing.
            RejectReason.INVALID_INDEX, RejectReason.INDEX_EXISTS, RejectReason.UNKNOWN_INDEX, RejectReason.INVALID_PRICING,
            RejectReason.UNKNOWN_SOURCE, RejectReason.NON_POSITIVE_PRICE, RejectReason.CONFIDENCE_TOO_WIDE,
            RejectReason.FUTURE_SOURCE_TIMESTAMP, RejectReason.SOURCE_OUT_OF_ORDER, RejectReason.INDEX_STALE_REDUCE_ONLY,
            // Options: listing, expiry and margin (the engine's Options).
            RejectReason.INSTRUMENT_EXPIRED, RejectReason.INVALID_OPTION, RejectReason.INVALID_STRIKE,
            RejectReason.OPTION_EXPIRY_PASSED, RejectReason.OPTION_NOT_PRICED, RejectReason.NOT_FOR_OPTIONS,
            RejectReason.INVALID_ACCOUNT_MARGIN_MODE,
            // Risk multipliers and their governance (the engine's RiskGovernance).
            RejectReason.RISK_BOUNDS_NOT_SET, RejectReason.RISK_SCALE_OUT_OF_BOUNDS, RejectReason.RISK_SCALE_TOO_FAST,
            RejectReason.RISK_SCALE_WITHIN_HYSTERESIS, RejectReason.RISK_SCALE_NOTICE, RejectReason.NOT_MODEL_MARGINED,
            RejectReason.INVALID_GOVERNANCE, RejectReason.GOVERNANCE_ALREADY_SET, RejectReason.GOVERNANCE_NOT_SET,
            RejectReason.NOT_AN_ADMIN, RejectReason.INVALID_RISK_BOUNDS, RejectReason.UNKNOWN_PROPOSAL,
            RejectReason.ALREADY_APPROVED, RejectReason.PROPOSAL_QUEUED, RejectReason.TOO_MANY_PROPOSALS,
            RejectReason.CHAIN_BOUNDS_APPLIED, RejectReason.CHAIN_BOUNDS_GAP,
            // Authorisation: the engine's Authorisations (addresses, agents, nonces, sessions).
            RejectReason.AUTH_MALFORMED, RejectReason.BAD_SIGNATURE, RejectReason.MALLEABLE_SIGNATURE,
            RejectReason.WRONG_SIGNER, RejectReason.AGENT_NOT_AUTHORISED, RejectReason.AGENT_EXPIRED,
            RejectReason.AGENT_NOT_PERMITTED, RejectReason.AGENT_LIMIT, RejectReason.NONCE_REUSED,
            RejectReason.NONCE_TOO_OLD, RejectReason.NONCE_TOO_NEW, RejectReason.UNKNOWN_ADDRESS,
            RejectReason.ACCOUNT_MISMATCH, RejectReason.SIGNATURE_REQUIRED, RejectReason.NOT_SIGNABLE,
            RejectReason.INVALID_SESSION, RejectReason.NOT_IN_SESSION, RejectReason.INVALID_SESSION_LENGTH);

    private BookFixture fx;
    private long restingBid;
    private long restingAsk;
    private long partlyFilledAsk;
    private long stop;
    private long postOnlyBid;
    private long gtd;

    static InstrumentSpec spec() {
        InstrumentSpec base = BookFixture.defaultSpec();
        return new InstrumentSpec(BookFixture.INSTRUMENT, "ETH-PERP", base.kind(), "ETH", "USDC", 6, base.tickSize(),
                base.lotSize(), BigDecimal.ONE, MIN_QUANTITY, MAX_QUANTITY, MAX_PRICE, 50_000, 50_000, 0, 0, 0);
    }

    /**
     * A book with something of everything, so that a half-applied reject would show in the hash: mark 100 (band
     * 95..105), resting bids and asks, a partly filled order, an iceberg, a GTD order, a waiting stop, positions
     * (B short 2, C long 2) and a last trade at 101.
     */
    @BeforeEach
    void setUp() {
        fx = new BookFixture(spec());
        populate(fx);
    }

    private void populate(BookFixture f) {
        f.mark(100);
        restingBid = f.buy(A, 10).limit(99).clientId(500).place();
        restingAsk = f.limit(B, SELL, 102, 10);
        partlyFilledAsk = f.limit(B, SELL, 101, 10);
        f.limit(C, BUY, 101, 2);
        f.sell(B, 9).limit(103).iceberg(3).place();
        gtd = f.buy(A, 4).limit(98).gtd(f.now() + 1_000 * BookFixture.STEP).place();
        stop = f.buy(A, 2).stopMarket(104).clientId(501).place();
        postOnlyBid = f.buy(C, 3).limit(97).postOnly(PostOnly.REJECT).place();
        assertEquals(List.of(), f.rejects());
        f.drain();
    }

    /** Runs the command and checks it was refused for {@code reason} with nothing changed; returns the reject. */
    private Event.CommandRejected assertRejects(RejectReason reason, CommandType command, Runnable action) {
        return assertRejects(fx, reason, command, action);
    }

    private static Event.CommandRejected assertRejects(BookFixture f, RejectReason reason, CommandType command,
                                                       Runnable action) {
        f.drain();
        long hash = f.hash();
        int open = f.book.openOrders();
        long l2 = f.book.l2Sequence();
        long l3 = f.book.l3Sequence();
        long trades = f.book.tradeCount();
        long expiry = f.book.nextExpiry();
        long mark = f.book.markPrice();
        int positions = f.positions.openPositions();
        long a = f.position(A);
        long b = f.position(B);
        long c = f.position(C);
        action.run();
        List<Event> events = f.drain();
        assertEquals(1, events.size(), () -> "exactly one event: " + events);
        assertTrue(events.get(0) instanceof Event.CommandRejected, () -> "a reject: " + events);
        Event.CommandRejected rejected = (Event.CommandRejected) events.get(0);
        assertEquals(reason, rejected.reason());
        assertEquals(command, rejected.command());
        assertEquals(f.seq(), rejected.sequence());
        assertEquals(f.now(), rejected.timestamp());
        assertEquals(BookFixture.INSTRUMENT, rejected.instrument());
        assertEquals(hash, f.hash(), "state hash unchanged");
        assertEquals(open, f.book.openOrders());
        assertEquals(l2, f.book.l2Sequence());
        assertEquals(l3, f.book.l3Sequence());
        assertEquals(trades, f.book.tradeCount());
        assertEquals(expiry, f.book.nextExpiry());
        assertEquals(mark, f.book.markPrice());
        assertEquals(positions, f.positions.openPositions());
        assertEquals(a, f.position(A));
        assertEquals(b, f.position(B));
        assertEquals(c, f.position(C));
        return rejected;
    }

    private void rejectsPlace(RejectReason reason, Command command) {
        assertRejects(reason, CommandType.PLACE_ORDER, () -> fx.place(command));
    }

    private void rejectsPlace(RejectReason reason, BookFixture.Placement placement) {
        Command command = placement.command();
        Event.CommandRejected r = assertRejects(reason, CommandType.PLACE_ORDER, () -> fx.place(command));
        assertEquals(command.orderId, r.orderId());
        assertEquals(command.account, r.account());
        assertEquals(command.clientOrderId, r.clientOrderId());
    }

    private Event.CommandRejected rejectsAmend(RejectReason reason, long account, long orderId, long price,
                                               long quantity, long trigger) {
        Command c = new Command().amend(account, BookFixture.INSTRUMENT, orderId, price, quantity);
        c.triggerPrice = trigger;
        return assertRejects(reason, CommandType.AMEND_ORDER, () -> fx.amend(c));
    }

    private void rejectsCancel(RejectReason reason, Command cancel) {
        assertRejects(reason, CommandType.CANCEL_ORDER, () -> {
            fx.next();
            fx.book.cancel(cancel);
        });
    }

    // ------------------------------------------------------------------------------------------------ coverage

    @Test
    void everyReasonIsEitherABookReasonOrAnotherLayers() {
        Set<RejectReason> all = EnumSet.copyOf(BOOK_REASONS);
        all.addAll(OTHER_LAYERS);
        assertEquals(EnumSet.allOf(RejectReason.class), all);
        Set<RejectReason> both = EnumSet.copyOf(BOOK_REASONS);
        both.retainAll(OTHER_LAYERS);
        assertEquals(Set.of(), both);
    }

    // ------------------------------------------------------------------------------------------------ place

    @Test
    void invalidAccount() {
        rejectsPlace(RejectReason.INVALID_ACCOUNT, fx.buy(0, 5).limit(99));
        rejectsPlace(RejectReason.INVALID_ACCOUNT, fx.buy(-3, 5).limit(99));
    }

    @Test
    void invalidOrderId() {
        rejectsPlace(RejectReason.INVALID_ORDER_ID, fx.buy(A, 5).limit(99).orderId(-1));
        Command zero = fx.buy(A, 5).limit(99).command();
        zero.orderId = 0;
        rejectsPlace(RejectReason.INVALID_ORDER_ID, zero);
    }

    @Test
    void duplicateOrderId() {
        rejectsPlace(RejectReason.DUPLICATE_ORDER_ID, fx.buy(C, 5).limit(99).orderId(restingAsk));
        rejectsPlace(RejectReason.DUPLICATE_ORDER_ID, fx.buy(C, 5).limit(99).orderId(stop));
    }

    @Test
    void missingSide() {
        rejectsPlace(RejectReason.MISSING_SIDE, fx.order(A, null, 5).limit(99));
    }

    @Test
    void missingOrderType() {
        rejectsPlace(RejectReason.MISSING_ORDER_TYPE, fx.buy(A, 5).limit(99).type(null));
    }

    @Test
    void missingTimeInForce() {
        rejectsPlace(RejectReason.MISSING_TIME_IN_FORCE, fx.buy(A, 5).limit(99).tif(null));
    }

    @Test
    void invalidQuantity() {
        rejectsPlace(RejectReason.INVALID_QUANTITY, fx.buy(A, 0).limit(99));
        rejectsPlace(RejectReason.INVALID_QUANTITY, fx.buy(A, -5).limit(99));
    }

    @Test
    void quantityAboveMax() {
        rejectsPlace(RejectReason.QUANTITY_ABOVE_MAX, fx.buy(A, MAX_QUANTITY + 1).limit(99));
    }

    @Test
    void quantityBelowMin() {
        rejectsPlace(RejectReason.QUANTITY_BELOW_MIN, fx.buy(A, MIN_QUANTITY - 1).limit(99));
    }

    @Test
    void invalidPrice() {
        rejectsPlace(RejectReason.INVALID_PRICE, fx.buy(A, 5).limit(0));
        rejectsPlace(RejectReason.INVALID_PRICE, fx.buy(A, 5).limit(-99));
        rejectsPlace(RejectReason.INVALID_PRICE, fx.buy(A, 5).stopLimit(104, 0));
    }

    @Test
    void priceAboveMax() {
        rejectsPlace(RejectReason.PRICE_ABOVE_MAX, fx.buy(A, 5).limit(MAX_PRICE + 1));
        rejectsPlace(RejectReason.PRICE_ABOVE_MAX, fx.buy(A, 5).stopMarket(MAX_PRICE + 1));
    }

    @Test
    void marketOrderWithPrice() {
        rejectsPlace(RejectReason.MARKET_ORDER_WITH_PRICE, fx.buy(A, 5).market().price(101));
        rejectsPlace(RejectReason.MARKET_ORDER_WITH_PRICE, fx.buy(A, 5).stopMarket(104).price(105));
    }

    @Test
    void marketOrderMustNotRest() {
        rejectsPlace(RejectReason.MARKET_ORDER_MUST_NOT_REST, fx.buy(A, 5).market().tif(TimeInForce.GTC));
        rejectsPlace(RejectReason.MARKET_ORDER_MUST_NOT_REST,
                fx.sell(A, 5).takeProfitMarket(104).gtd(fx.now() + 100 * BookFixture.STEP));
    }

    @Test
    void invalidTriggerPrice() {
        rejectsPlace(RejectReason.INVALID_TRIGGER_PRICE, fx.buy(A, 5).stopMarket(0));
        rejectsPlace(RejectReason.INVALID_TRIGGER_PRICE, fx.buy(A, 5).stopLimit(-1, 99));
    }

    @Test
    void triggerOnPlainOrder() {
        rejectsPlace(RejectReason.TRIGGER_ON_PLAIN_ORDER, fx.buy(A, 5).limit(99).trigger(104));
        rejectsPlace(RejectReason.TRIGGER_ON_PLAIN_ORDER, fx.buy(A, 5).market().trigger(104));
    }

    @Test
    void invalidExpiry() {
        rejectsPlace(RejectReason.INVALID_EXPIRY, fx.buy(A, 5).limit(99).gtd(0));
        rejectsPlace(RejectReason.INVALID_EXPIRY, fx.buy(A, 5).limit(99).gtd(fx.now() + BookFixture.STEP));
        rejectsPlace(RejectReason.INVALID_EXPIRY, fx.buy(A, 5).limit(99).gtd(fx.now() - 1));
    }

    @Test
    void expiryOnNonGtd() {
        rejectsPlace(RejectReason.EXPIRY_ON_NON_GTD, fx.buy(A, 5).limit(99).expireAt(fx.now() + 100 * BookFixture.STEP));
        rejectsPlace(RejectReason.EXPIRY_ON_NON_GTD, fx.buy(A, 5).limit(99).ioc().expireAt(fx.now() + 100));
    }

    @Test
    void invalidDisplayQuantity() {
        rejectsPlace(RejectReason.INVALID_DISPLAY_QUANTITY, fx.buy(A, 5).limit(99).iceberg(5));
        rejectsPlace(RejectReason.INVALID_DISPLAY_QUANTITY, fx.buy(A, 5).limit(99).iceberg(6));
        rejectsPlace(RejectReason.INVALID_DISPLAY_QUANTITY, fx.buy(A, 5).limit(99).iceberg(-1));
    }

    @Test
    void icebergNotResting() {
        rejectsPlace(RejectReason.ICEBERG_NOT_RESTING, fx.buy(A, 5).limit(99).ioc().iceberg(2));
        rejectsPlace(RejectReason.ICEBERG_NOT_RESTING, fx.buy(A, 5).limit(99).fok().iceberg(2));
        rejectsPlace(RejectReason.ICEBERG_NOT_RESTING, fx.buy(A, 5).market().iceberg(2));
    }

    @Test
    void postOnlyNotResting() {
        rejectsPlace(RejectReason.POST_ONLY_NOT_RESTING, fx.buy(A, 5).limit(99).ioc().postOnly(PostOnly.REJECT));
        rejectsPlace(RejectReason.POST_ONLY_NOT_RESTING, fx.buy(A, 5).market().postOnly(PostOnly.SLIDE));
        rejectsPlace(RejectReason.POST_ONLY_NOT_RESTING, fx.buy(A, 5).stopLimit(104, 105).postOnly(PostOnly.REJECT));
    }

    @Test
    void duplicateClientOrderId() {
        rejectsPlace(RejectReason.DUPLICATE_CLIENT_ORDER_ID, fx.buy(A, 5).limit(97).clientId(500));
        rejectsPlace(RejectReason.DUPLICATE_CLIENT_ORDER_ID, fx.buy(A, 5).limit(97).clientId(501));
    }

    @Test
    void bookFull() {
        BookFixture probe = new BookFixture(spec());
        populate(probe);
        BookFixture full = new BookFixture(spec(), probe.book.openOrders());
        populate(full);
        assertRejects(full, RejectReason.BOOK_FULL, CommandType.PLACE_ORDER, () -> full.limit(C, BUY, 96, 5));
        assertRejects(full, RejectReason.BOOK_FULL, CommandType.PLACE_ORDER, () -> full.sell(A, 5).stopMarket(90).place());
    }

    @Test
    void priceOutsideBand() {
        rejectsPlace(RejectReason.PRICE_OUTSIDE_BAND, fx.buy(C, 5).limit(94));
        rejectsPlace(RejectReason.PRICE_OUTSIDE_BAND, fx.sell(C, 5).limit(106));
        rejectsPlace(RejectReason.PRICE_OUTSIDE_BAND, fx.buy(C, 5).limit(106).ioc());
    }

    @Test
    void reduceOnlyWouldIncrease() {
        rejectsPlace(RejectReason.REDUCE_ONLY_WOULD_INCREASE, fx.buy(A, 5).limit(99).reduceOnly());
        rejectsPlace(RejectReason.REDUCE_ONLY_WOULD_INCREASE, fx.buy(C, 5).limit(99).reduceOnly());
        rejectsPlace(RejectReason.REDUCE_ONLY_WOULD_INCREASE, fx.sell(B, 5).stopMarket(90).reduceOnly());
    }

    @Test
    void wouldTriggerImmediately() {
        rejectsPlace(RejectReason.WOULD_TRIGGER_IMMEDIATELY, fx.buy(A, 5).stopMarket(101));
        rejectsPlace(RejectReason.WOULD_TRIGGER_IMMEDIATELY, fx.sell(A, 5).stopLimit(102, 100));
        rejectsPlace(RejectReason.WOULD_TRIGGER_IMMEDIATELY, fx.sell(A, 5).stopMarket(100).onMark());
        rejectsPlace(RejectReason.WOULD_TRIGGER_IMMEDIATELY, fx.buy(A, 5).takeProfitLimit(100, 100).onMark());
    }

    @Test
    void noLiquidity() {
        BookFixture empty = new BookFixture(spec());
        empty.limit(A, BUY, 100, 5);
        assertRejects(empty, RejectReason.NO_LIQUIDITY, CommandType.PLACE_ORDER, () -> empty.market(B, BUY, 5));
        assertRejects(empty, RejectReason.NO_LIQUIDITY, CommandType.PLACE_ORDER,
                () -> empty.buy(B, 5).market().fok().place());
    }

    @Test
    void postOnlyWouldCross() {
        rejectsPlace(RejectReason.POST_ONLY_WOULD_CROSS, fx.buy(A, 5).limit(101).postOnly(PostOnly.REJECT));
        rejectsPlace(RejectReason.POST_ONLY_WOULD_CROSS, fx.sell(C, 5).limit(99).postOnly(PostOnly.REJECT));
        BookFixture low = new BookFixture(spec());
        low.limit(B, SELL, 1, 5);
        assertRejects(low, RejectReason.POST_ONLY_WOULD_CROSS, CommandType.PLACE_ORDER,
                () -> low.buy(A, 5).limit(1).postOnly(PostOnly.SLIDE).place());
    }

    @Test
    void fokNotFillable() {
        rejectsPlace(RejectReason.FOK_NOT_FILLABLE, fx.buy(C, 20).limit(102).fok());
        rejectsPlace(RejectReason.FOK_NOT_FILLABLE, fx.buy(C, 100).market().fok());
        rejectsPlace(RejectReason.FOK_NOT_FILLABLE, fx.sell(A, 20).limit(99).fok().stp(SelfTradePrevention.EXPIRE_TAKER));
        rejectsPlace(RejectReason.FOK_NOT_FILLABLE, fx.sell(C, 3).limit(99).fok().reduceOnly());
    }

    // ------------------------------------------------------------------------------------------------ cancel

    @Test
    void cancelInvalidAccount() {
        rejectsCancel(RejectReason.INVALID_ACCOUNT, new Command().cancel(0, BookFixture.INSTRUMENT, restingBid));
    }

    @Test
    void cancelInvalidOrderId() {
        rejectsCancel(RejectReason.INVALID_ORDER_ID, new Command().cancel(A, BookFixture.INSTRUMENT, 0));
        rejectsCancel(RejectReason.INVALID_ORDER_ID, new Command().cancel(A, BookFixture.INSTRUMENT, -1));
    }

    @Test
    void cancelUnknownOrder() {
        rejectsCancel(RejectReason.UNKNOWN_ORDER, new Command().cancel(A, BookFixture.INSTRUMENT, 9_999));
        rejectsCancel(RejectReason.UNKNOWN_ORDER, new Command().cancel(B, BookFixture.INSTRUMENT, restingBid));
        Command byClientId = new Command().cancel(A, BookFixture.INSTRUMENT, 0);
        byClientId.clientOrderId = 999;
        rejectsCancel(RejectReason.UNKNOWN_ORDER, byClientId);
        Command otherAccountsClientId = new Command().cancel(B, BookFixture.INSTRUMENT, 0);
        otherAccountsClientId.clientOrderId = 500;
        rejectsCancel(RejectReason.UNKNOWN_ORDER, otherAccountsClientId);
    }

    @Test
    void cancelAfterExpiryIsUnknown() {
        fx.advance(2_000 * BookFixture.STEP);
        fx.expireDue();
        rejectsCancel(RejectReason.UNKNOWN_ORDER, new Command().cancel(A, BookFixture.INSTRUMENT, gtd));
    }

    // ------------------------------------------------------------------------------------------------ amend

    @Test
    void amendInvalidAccountOrderIdOrUnknownOrder() {
        rejectsAmend(RejectReason.INVALID_ACCOUNT, 0, restingBid, 98, 0, 0);
        rejectsAmend(RejectReason.INVALID_ORDER_ID, A, 0, 98, 0, 0);
        rejectsAmend(RejectReason.INVALID_ORDER_ID, A, -4, 98, 0, 0);
        rejectsAmend(RejectReason.UNKNOWN_ORDER, A, 9_999, 98, 0, 0);
        rejectsAmend(RejectReason.UNKNOWN_ORDER, B, restingBid, 98, 0, 0);
    }

    @Test
    void amendInvalidPrice() {
        rejectsAmend(RejectReason.INVALID_PRICE, A, restingBid, -1, 0, 0);
    }

    @Test
    void amendMarketOrderWithPrice() {
        rejectsAmend(RejectReason.MARKET_ORDER_WITH_PRICE, A, stop, 105, 0, 0);
    }

    @Test
    void amendPriceAboveMax() {
        rejectsAmend(RejectReason.PRICE_ABOVE_MAX, A, restingBid, MAX_PRICE + 1, 0, 0);
        rejectsAmend(RejectReason.PRICE_ABOVE_MAX, A, stop, 0, 0, MAX_PRICE + 1);
    }

    @Test
    void amendInvalidQuantity() {
        rejectsAmend(RejectReason.INVALID_QUANTITY, A, restingBid, 0, -1, 0);
    }

    @Test
    void amendQuantityAboveMax() {
        rejectsAmend(RejectReason.QUANTITY_ABOVE_MAX, A, restingBid, 0, MAX_QUANTITY + 1, 0);
    }

    @Test
    void amendQuantityBelowMin() {
        rejectsAmend(RejectReason.QUANTITY_BELOW_MIN, A, restingBid, 0, MIN_QUANTITY - 1, 0);
    }

    @Test
    void amendQuantityNotAboveFilled() {
        rejectsAmend(RejectReason.AMEND_QUANTITY_NOT_ABOVE_FILLED, B, partlyFilledAsk, 0, 2, 0);
    }

    @Test
    void amendInvalidTriggerPrice() {
        rejectsAmend(RejectReason.INVALID_TRIGGER_PRICE, A, stop, 0, 0, -1);
    }

    @Test
    void amendTriggerOnPlainOrder() {
        rejectsAmend(RejectReason.TRIGGER_ON_PLAIN_ORDER, A, restingBid, 0, 0, 104);
    }

    @Test
    void amendNothing() {
        rejectsAmend(RejectReason.AMEND_NOTHING, A, restingBid, 0, 0, 0);
        rejectsAmend(RejectReason.AMEND_NOTHING, A, restingBid, 99, 10, 0);
        rejectsAmend(RejectReason.AMEND_NOTHING, A, stop, 0, 2, 104);
    }

    @Test
    void amendPriceOutsideBand() {
        rejectsAmend(RejectReason.PRICE_OUTSIDE_BAND, A, restingBid, 94, 0, 0);
    }

    @Test
    void amendWouldTriggerImmediately() {
        rejectsAmend(RejectReason.WOULD_TRIGGER_IMMEDIATELY, A, stop, 0, 0, 101);
    }

    @Test
    void amendPostOnlyWouldCross() {
        rejectsAmend(RejectReason.POST_ONLY_WOULD_CROSS, C, postOnlyBid, 101, 0, 0);
    }

    @Test
    void amendRejectNamesTheOrder() {
        Event.CommandRejected r = rejectsAmend(RejectReason.AMEND_NOTHING, A, restingBid, 0, 0, 0);
        assertEquals(restingBid, r.orderId());
        assertEquals(500, r.clientOrderId());
        assertEquals(A, r.account());
    }

    // ------------------------------------------------------------------------------------------------ mark

    @Test
    void invalidMarkPrice() {
        assertRejects(RejectReason.INVALID_MARK_PRICE, CommandType.SET_MARK_PRICE, () -> fx.mark(0));
        assertRejects(RejectReason.INVALID_MARK_PRICE, CommandType.SET_MARK_PRICE, () -> fx.mark(-100));
        assertRejects(RejectReason.INVALID_MARK_PRICE, CommandType.SET_MARK_PRICE, () -> fx.mark(MAX_PRICE + 1));
    }

    @Test
    void sameBadCommandGetsTheSameReasonEveryTime() {
        Command bad = fx.buy(A, 0).limit(-1).tif(null).command();
        rejectsPlace(RejectReason.MISSING_TIME_IN_FORCE, bad);
        rejectsPlace(RejectReason.MISSING_TIME_IN_FORCE, bad);
    }
}
