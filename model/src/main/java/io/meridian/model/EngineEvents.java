package io.meridian.model;

/**
 * The engine's output: past-tense events, delivered synchronously on the engine thread, in the order they
 * happened, while a command is applied. Every event carries the sequence number and timestamp of the command
 * that caused it. Implementations must not call back into the engine and must copy what they keep: arguments
 * are primitives and shared enums, so delivery allocates nothing.
 *
 * <p>The events an order book fires itself (orders, trades, book deltas, marks, rejects) are declared by
 * {@link MatchEvents}, the narrow interface a book is given; this one adds the engine's (ledger, positions, margin,
 * funding, liquidation, options, listing).
 *
 * <p>All methods default to no-ops so that a consumer implements only what it reads.
 */
public interface EngineEvents extends MatchEvents {

    /** An instrument was created and is open for trading. */
    default void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
    }

    /**
     * Value moved in the ledger: {@code amount} minor units of {@code asset} from one account to another, for
     * {@code type}; the balances are the two accounts' balances after the posting. System accounts are negative
     * ({@link SystemAccounts}).
     */
    default void postingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount,
                                long toAccount, long amount, long fromBalance, long toBalance) {
    }

    /**
     * The margin state of an account in one settlement asset after a command that changed it (a fill, a deposit, a
     * withdrawal, a leverage change). Amounts in the asset's minor units: {@code equity} = balance + unrealised PnL at
     * the mark of its cross positions; {@code initialMargin} covers positions and open orders, {@code
     * maintenanceMargin} the positions; {@code health} 0..100 as Drift defines it.
     */
    default void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                                long initialMargin, long maintenanceMargin, int health) {
    }

    /**
     * The margin state of an isolated position after a command that changed it: its own margin ({@code isolatedMargin},
     * moved out of the cross balance), equity = isolated margin + unrealised PnL, and its requirements.
     */
    default void isolatedPositionUpdated(long sequence, long timestamp, long account, int instrument,
                                         long isolatedMargin, long equity, long initialMargin,
                                         long maintenanceMargin, int health) {
    }

    /**
     * A user's WITHDRAW was accepted: {@code amount} minor units of {@code asset} left the account's balance (after its
     * {@code postingApplied}), to be paid to {@code destination} (the 20 bytes of an address; null: the owner's own
     * address, or off chain). The array is the command's and is reused after the call: copy what must be kept.
     */
    default void withdrawalAccepted(long sequence, long timestamp, long account, int asset, long amount,
                                    byte[] destination) {
    }

    /** An asset was registered and can be deposited. */
    default void assetAdded(long sequence, long timestamp, AssetSpec spec) {
    }

    /** An index was created; its sources can report. */
    default void indexAdded(long sequence, long timestamp, IndexSpec spec) {
    }

    /** The index was recomputed from {@code freshSources} fresh sources (units of the index's price decimals). */
    default void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
    }

    /** Too few fresh sources: the index keeps {@code lastPrice} and is stale until enough sources report. */
    default void indexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) {
    }

    /** A source's last report is older than the staleness limit and no longer counts. */
    default void priceSourceStale(long sequence, long timestamp, int indexId, int sourceId, long sourceTimestamp, long ageNanos) {
    }

    /** A source was further than the outlier band from the median; {@code usedPrice} is what counted (dropped: not counted). */
    default void priceSourceOutlier(long sequence, long timestamp, int indexId, int sourceId, long price, long median,
            long usedPrice, boolean dropped) {
    }

    /**
     * The index is further than the divergence band from its own moving average; {@code held}: the index counts as
     * stale until it comes back (marks freeze, no liquidations), else this is a warning only.
     */
    default void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held) {
    }

    /** The index wanted to move further than the per-update limit and was limited. */
    default void indexCircuitBreaker(long sequence, long timestamp, int indexId, long previous, long proposed, long limited) {
    }

    /**
     * A premium-index sample of a perpetual: impact bid and ask in index units (0 = the side cannot fill the impact
     * notional), the index and the premium in 1e-9.
     */
    default void premiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk, long index,
            long premium) {
    }

    /**
     * A funding interval ended: the rate paid for this interval in 1e-9 (positive: longs pay shorts), which is the 8-hour
     * rate from the average premium of {@code samples} samples and the 8-hour interest rate, scaled to the interval's
     * length; paid at {@code markPrice} (ticks).
     */
    default void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
            long interestRate, int samples, long markPrice) {
    }

    /**
     * One account's funding for the interval: signed position in lots and the amount credited (negative: paid) in settlement
     * minor units.
     */
    default void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
            long amount) {
    }

    /**
     * An account (instrument -1: its cross account in the asset; else that isolated position) fell to or below its
     * maintenance margin at the mark and is being liquidated.
     */
    default void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) {
    }

    /** A liquidation order of the account filled in the book; the liquidation fee charged on it went to the insurance fund. */
    default void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
            long quantity, long fee) {
    }

    /**
     * The rest of a position the book could not absorb at or better than bankruptcy moved to the backstop account at the
     * bankruptcy price ({@code side}: the liquidated account's closing side).
     */
    default void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument, Side side,
            long price, long quantity) {
    }

    /** The insurance fund covered an account's deficit (loss beyond its collateral). */
    default void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fundBalance) {
    }

    /**
     * A position was closed against an opposite-side account at the bankrupt account's bankruptcy price; rank is the
     * counterparty's ADL rank (ppm) when chosen.
     */
    default void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument, Side side,
            long price, long quantity, long rankPpm) {
    }

    /**
     * The book could not absorb a liquidation step at the bankruptcy price or better, so the insurance fund took the
     * whole position over at the bankruptcy price ({@code side}: the liquidated account's closing side; the fund takes
     * the opposite side). {@code fundEquity}: the fund's equity in the asset after the takeover, valued at the mark.
     */
    default void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
            long price, long quantity, long fundEquity) {
    }

    /**
     * An IOC order of the insurance fund, unwinding positions it took over, filled in the book ({@code side}: the fund's
     * side); {@code realizedPnl}: what the fill realised for the fund; {@code inventory}: the fund's position after it.
     */
    default void insuranceFundUnwind(long sequence, long timestamp, int instrument, Side side, long price, long quantity,
            long realizedPnl, long inventory) {
    }

    /**
     * The cause of auto-deleveraging: the insurance fund could not take the position over without its equity after
     * the takeover ({@code fundEquity}) falling below its floor plus the maintenance margin of its inventory
     * ({@code required}).
     */
    default void insuranceFundBelowFloor(long sequence, long timestamp, long account, int asset, int instrument,
            long fundEquity, long required) {
    }

    /**
     * Auto-deleveraging closed a position at a price better for the liquidated account than its bankruptcy price
     * (the mark, or the counterparty's own bankruptcy bound): the margin the account had left above bankruptcy on the
     * closed lots went to the insurance fund, not to the counterparty.
     */
    default void remainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset,
            int instrument, long amount) {
    }

    /** A deficit left after everything else (rounding, or an empty insurance fund) was covered from the venue's fee pool. */
    default void deficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) {
    }

    /** The liquidation of the account (as in liquidationStarted) ended: its state after it. */
    default void liquidationEnded(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) {
    }

    /** An option was listed: its instrument spec (as in {@link #instrumentAdded}, which comes just before) and terms. */
    default void optionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) {
    }

    /**
     * The option reached its expiry (the first command at or after it) and is closed to trading: orders are rejected
     * with {@code INSTRUMENT_EXPIRED} from now on, and its open orders are canceled right after this event
     * ({@code orderCanceled} with {@code CANCEL_ALL}). Its positions settle with {@link #optionSettled} in the same
     * command when its settlement window holds enough evidence, else when a later window does (docs/options.md).
     */
    default void optionExpired(long sequence, long timestamp, int instrument) {
    }

    /**
     * The option's positions are settled at {@code settlementPrice}, in index units: the time-weighted average of the
     * index over the settlement window, or over the first later window with enough evidence when it had too little
     * (half the window covered, at least three samples), from {@code samples} weighted samples.
     * {@code intrinsicValue} is max(0, S - K) (call) or max(0, K - S) (put) in index units per base unit;
     * {@code openInterest} the long lots settled. One {@link #optionPositionSettled} per position follows, in ascending
     * account order.
     */
    default void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
            long openInterest, int samples) {
    }

    /**
     * One position of an expiring option was closed: its signed size in lots, its settlement value in settlement minor
     * units (intrinsic value x size, rounded down for a long and up for a short's payment: signed, a short's is
     * negative or 0), and {@code amount}, what the account was credited in all (signed): the settlement value less the
     * position's cost basis, because a premium is paid as the position's profit and loss. Follows its two postings
     * against the clearing account: the cost basis as {@code REALIZED_PNL} (the position closed at price 0), then the
     * settlement value as {@code OPTION_SETTLEMENT} (shorts pay in, longs are paid out).
     */
    default void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
            long settlementValue, long amount) {
    }

    /**
     * A change of the instrument's risk multiplier was announced (SET_RISK_SCALE): it takes effect at
     * {@code effectiveAt} (command clock) unless replaced first. {@code volatilityPpm} is the realised volatility of the
     * instrument's index when it was announced (0 when it has none).
     */
    default void riskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
            long volatilityPpm) {
    }

    /**
     * The instrument's risk parameters in force changed: its multiplier of the listed ones, the position limit in lots
     * (0: none) and the price band in ppm (0: none) it implies. Its initial and maintenance rates are the listed ones
     * times the multiplier ({@code EngineView.riskScale}). The accounts with positions in it are re-measured, and
     * liquidated if now under maintenance, by the same command.
     */
    default void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
            long priceBandPpm) {
    }

    /**
     * A governance proposal changed state: {@code state} is 0 pending, 1 queued (approved; takes effect at
     * {@code eta}), 2 executed, 3 canceled, 4 expired; {@code approvals} the admins that approved so far.
     */
    default void governanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
            int approvals, long eta) {
    }

    /**
     * The order that the very next order event names ({@code orderAccepted}, {@code orderFilled}, {@code orderCanceled},
     * {@code orderExpired}, {@code orderTriggered}, {@code orderAmended}, or the {@code commandRejected} of the command
     * that carried the text, whose {@code orderId} is the one it names) has a client order id given as text: {@code text}
     * is what the client wrote, and the event's {@code clientOrderId} is its key (docs/auth.md, "Client order ids").
     * Told just before each such event, never otherwise: an event not preceded by this about its {@code orderId} is of an
     * order whose client order id is a number (or none). A consumer that echoes client order ids keeps the text for that
     * one event; the engine keeps the texts of open orders in its own state (snapshots and state hash).
     */
    default void clientOrderText(long orderId, String text) {
    }

    /** Every event of the command has been delivered; a natural point to flush batched output. */
    default void commandCompleted(long sequence, long timestamp) {
    }
}
