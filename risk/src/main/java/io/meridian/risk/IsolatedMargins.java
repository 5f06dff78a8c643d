package io.meridian.risk;

import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.risk.MarginEngine.MarginState;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * The isolated-margin bookkeeping of the {@link MarginEngine} (see "Isolated margin" there): switching a position's
 * margin mode, moving margin between an isolated position and the cross account (by hand, as the top-up a new order
 * needs, and as its fills' realised PnL and fees), and releasing the margin of idle isolated positions. The amounts
 * live in the accounts' records ({@link RiskAccount#isolatedMargin}); this class owns the one pending top-up between a
 * pre-trade check and its order.
 *
 * <p>Engine thread only. Allocates only when an account first uses isolated margin.
 */
final class IsolatedMargins {
    private final MarginEngine.Venue venue;
    private final InstrumentRisk[] instruments;
    private final Long2ObjectHashMap<RiskAccount> accounts;
    private final MarginCalculator margins;
    private final MarginState scratch = new MarginState();
    private long pendingTopUpAccount;
    private int pendingTopUpInstrument = -1;
    private long pendingTopUp;
    private int isolatedCount;

    IsolatedMargins(MarginEngine.Venue venue, InstrumentRisk[] instruments, Long2ObjectHashMap<RiskAccount> accounts,
                    MarginCalculator margins) {
        this.venue = venue;
        this.instruments = instruments;
        this.accounts = accounts;
        this.margins = margins;
    }

    /** Forgets the pending top-up: a new pre-trade check begins. */
    void clearPendingTopUp() {
        pendingTopUpInstrument = -1;
    }

    /** Records the top-up that the order just checked needs, to be moved by {@link #applyPendingTopUp}. */
    void setPendingTopUp(long account, int instrument, long amount) {
        pendingTopUpAccount = account;
        pendingTopUpInstrument = instrument;
        pendingTopUp = amount;
    }

    /** See {@link MarginEngine#applyPendingTopUp}. */
    long applyPendingTopUp() {
        if (pendingTopUpInstrument < 0) {
            return 0;
        }
        RiskAccount risk = RiskAccount.of(accounts, pendingTopUpAccount);
        risk.setIsolatedMargin(pendingTopUpInstrument,
                Math.addExact(risk.isolatedMargin(pendingTopUpInstrument), pendingTopUp));
        long moved = pendingTopUp;
        pendingTopUpInstrument = -1;
        return moved;
    }

    /** See {@link MarginEngine#discardPendingTopUp}. */
    long discardPendingTopUp() {
        long amount = pendingTopUpInstrument < 0 ? 0 : pendingTopUp;
        pendingTopUpInstrument = -1;
        return amount;
    }

    /** The isolated margin of the position (0 for a cross position). */
    long isolatedMargin(long account, int instrument) {
        RiskAccount risk = accounts.get(account);
        return risk == null ? 0 : risk.isolatedMargin(instrument);
    }

    /** See {@link MarginEngine#setMarginMode}. */
    RejectReason setMarginMode(long account, int instrument, MarginMode mode, boolean hasOpenOrders) {
        if (instruments[instrument].positions.size(account) != 0 || hasOpenOrders) {
            return RejectReason.MARGIN_MODE_LOCKED;
        }
        RiskAccount risk = RiskAccount.of(accounts, account);
        if (mode == MarginMode.ISOLATED) {
            risk.setIsolated(instrument, true);
            risk.activate(instrument);
        } else {
            risk.setIsolated(instrument, false);
            risk.setIsolatedMargin(instrument, 0);
        }
        return null;
    }

    /** See {@link MarginEngine#adjustIsolatedMargin}. */
    RejectReason adjustIsolatedMargin(long account, int instrument, long amount) {
        if (!margins.isIsolated(account, instrument)) {
            return RejectReason.NOT_ISOLATED;
        }
        if (amount == 0) {
            return RejectReason.INVALID_AMOUNT;
        }
        RiskAccount risk = RiskAccount.of(accounts, account);
        long current = risk.isolatedMargin(instrument);
        if (amount > 0) {
            if (amount > margins.freeCrossMargin(account, instruments[instrument].asset)) {
                return RejectReason.INSUFFICIENT_MARGIN;
            }
        } else {
            MarginState position = margins.computeIsolated(account, instrument, Side.BUY, 0, 0, scratch);
            if (current + amount < 0 || position.equity + amount < position.initialMargin) {
                return RejectReason.ISOLATED_MARGIN_BREACH;
            }
        }
        risk.setIsolatedMargin(instrument, Math.addExact(current, amount));
        return null;
    }

    /** See {@link MarginEngine#onIsolatedCashflow}. */
    void onIsolatedCashflow(long account, int instrument, long amount) {
        RiskAccount risk = accounts.get(account);
        if (amount != 0 && risk != null && risk.isIsolated(instrument)) {
            risk.setIsolatedMargin(instrument, Math.addExact(risk.isolatedMargin(instrument), amount));
        }
    }

    /** See {@link MarginEngine#releaseIdleIsolated}. */
    void releaseIdleIsolated(long account) {
        RiskAccount risk = accounts.get(account);
        if (risk == null || !risk.hasIsolatedMargin()) {
            return;
        }
        for (int i = 0; i < risk.activeCount; i++) {
            int instrument = risk.active[i];
            if (risk.isolatedMargin(instrument) != 0 && instruments[instrument].positions.size(account) == 0
                    && venue.restingLots(account, instrument, Side.BUY) == 0
                    && venue.restingLots(account, instrument, Side.SELL) == 0) {
                risk.setIsolatedMargin(instrument, 0);
            }
        }
    }

    /** See {@link MarginEngine#isolatedInstruments}; {@link #isolatedCount} tells how many entries are valid. */
    int[] isolatedInstruments(long account, int[] out) {
        RiskAccount risk = accounts.get(account);
        isolatedCount = 0;
        if (risk == null) {
            return out;
        }
        int[] result = out;
        for (int i = 0; i < risk.activeCount; i++) {
            int instrument = risk.active[i];
            if (risk.isApart(instrument)) {
                if (isolatedCount == result.length) {
                    result = Arrays.copyOf(result, result.length * 2);
                }
                result[isolatedCount++] = instrument;
            }
        }
        return result;
    }

    /** How many entries the last {@link #isolatedInstruments} call filled. */
    int isolatedCount() {
        return isolatedCount;
    }
}
