package io.meridian.engine;

import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.OptionMarginMode;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The accounts in portfolio margin, and the account-wide switch between standard and portfolio option margin
 * ({@code SET_MARGIN_MODE} with instrument -1; docs/options.md, "Margin"). Owns the set of those accounts, which it
 * hashes and snapshots for {@link Options}; a switch moves the account's legs on every underlying to the new mode and
 * adds or removes its cross positions in the linked futures as legs. Read by {@link Options} (which mode a new leg
 * takes, which futures positions are legs) and {@link OptionMarginHook} (which parameters the requirement uses).
 *
 * <p>Engine thread only. A switch allocates; the reads do not.
 */
final class PortfolioAccounts {
    private final Clearing[] clearings;
    private final MarginEngine margin;
    private final LongHashSet accounts = new LongHashSet(16);
    private final MarginEngine.MarginState state = new MarginEngine.MarginState();

    PortfolioAccounts(Clearing[] clearings, MarginEngine margin) {
        this.clearings = clearings;
        this.margin = margin;
    }

    /** True when the account is in portfolio margin. */
    boolean contains(long account) {
        return accounts.contains(account);
    }

    /** The mode the account's option margin accounts are in. */
    OptionMarginMode modeOf(long account) {
        return mode(accounts.contains(account));
    }

    boolean isEmpty() {
        return accounts.isEmpty();
    }

    private static OptionMarginMode mode(boolean portfolioMargin) {
        return portfolioMargin ? OptionMarginMode.PORTFOLIO : OptionMarginMode.STANDARD;
    }

    /**
     * {@code SET_MARGIN_MODE} with instrument -1: {@code PORTFOLIO} puts the account in portfolio margin, {@code CROSS}
     * back in standard margin (a no-op when it is there already). Check, then apply: the switch is undone with
     * {@code INSUFFICIENT_MARGIN} when, in the new mode, the account's equity would not cover its initial margin in a
     * settlement asset where it holds legs. Rejects {@code INVALID_ACCOUNT}, {@code MISSING_MARGIN_MODE} and
     * {@code INVALID_ACCOUNT_MARGIN_MODE} (ISOLATED). Returns null when applied; the settlement assets affected are
     * added to {@code touched}. {@code underlyings}: the options' underlyings by index id, null where none.
     */
    RejectReason setMode(long account, MarginMode mode, OptionUnderlying[] underlyings, TouchedAccounts touched) {
        if (account <= 0) {
            return RejectReason.INVALID_ACCOUNT;
        }
        if (mode == null) {
            return RejectReason.MISSING_MARGIN_MODE;
        }
        if (mode == MarginMode.ISOLATED) {
            return RejectReason.INVALID_ACCOUNT_MARGIN_MODE;
        }
        boolean on = mode == MarginMode.PORTFOLIO;
        if (accounts.contains(account) == on) {
            return null;
        }
        List<OptionUnderlying> affected = new ArrayList<>();
        for (OptionUnderlying u : underlyings) {
            if (u != null && holds(u, account)) {
                affected.add(u);
            }
        }
        switchMode(account, on, underlyings);
        for (OptionUnderlying u : affected) {
            MarginEngine.MarginState after = margin.compute(account, u.asset, state);
            if (after.equity < after.initialMargin) {
                switchMode(account, !on, underlyings);
                return RejectReason.INSUFFICIENT_MARGIN;
            }
        }
        for (OptionUnderlying u : affected) {
            touched.add(account, u.asset);
        }
        return null;
    }

    /** True when the account has legs on the underlying or a position in one of its linked futures. */
    private boolean holds(OptionUnderlying u, long account) {
        if (u.accounts.containsKey(account)) {
            return true;
        }
        for (int i = 0; i < u.futureCount; i++) {
            if (u.futureLinked[i] && clearings[u.futures[i]].positions().size(account) != 0) {
                return true;
            }
        }
        return false;
    }

    private void switchMode(long account, boolean on, OptionUnderlying[] underlyings) {
        if (on) {
            accounts.add(account);
        } else {
            accounts.remove(account);
        }
        for (OptionUnderlying u : underlyings) {
            if (u == null) {
                continue;
            }
            for (int i = 0; i < u.futureCount; i++) {
                int instrument = u.futures[i];
                long size = clearings[instrument].positions().size(account);
                if (u.futureLinked[i] && size != 0 && margin.marginMode(account, instrument) != MarginMode.ISOLATED) {
                    u.setLeg(account, u.futureSeries[i], on ? size : 0, mode(on));
                }
            }
            OptionMarginAccount held = u.accounts.get(account);
            if (held != null) {
                held.setMode(mode(on));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    /** The accounts, ascending, after their count. */
    void hashState(StateHasher hasher) {
        long[] ids = new long[accounts.size()];
        int n = 0;
        LongHashSet.LongIterator it = accounts.iterator();
        while (it.hasNext()) {
            ids[n++] = it.nextValue();
        }
        Arrays.sort(ids);
        hasher.add(n);
        for (long id : ids) {
            hasher.add(id);
        }
    }

    /** Writes the accounts' count, then each account in the set's iteration order. */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(accounts.size());
        accounts.forEachLong(out::writeVarLong);
    }

    /** Restores what {@link #writeSnapshot} wrote into an empty set. */
    void readSnapshot(SnapshotReader in) {
        int count = in.readCount(1);
        for (int i = 0; i < count; i++) {
            accounts.add(in.readVarLong());
        }
    }
}
