package io.meridian.engine;

import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.options.OptionMarginAccount;

import java.util.ArrayList;
import java.util.List;

/**
 * The account-wide switch between standard and portfolio option margin ({@code SET_MARGIN_MODE} with instrument -1;
 * docs/options.md, "Margin"), over the set of portfolio-margin accounts that {@link OptionRegistry} keeps: a switch
 * moves the account's legs on every underlying to the new mode and adds or removes its cross positions in the linked
 * futures as legs.
 *
 * <p>Engine thread only. A switch allocates.
 */
final class PortfolioAccounts {
    private final Clearing[] clearings;
    private final MarginEngine margin;
    private final OptionRegistry registry;
    private final MarginEngine.MarginState state = new MarginEngine.MarginState();

    PortfolioAccounts(Clearing[] clearings, MarginEngine margin, OptionRegistry registry) {
        this.clearings = clearings;
        this.margin = margin;
        this.registry = registry;
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
        if (registry.isPortfolio(account) == on) {
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
        registry.setPortfolio(account, on);
        for (OptionUnderlying u : underlyings) {
            if (u == null) {
                continue;
            }
            for (int i = 0; i < u.futureCount; i++) {
                int instrument = u.futures[i];
                long size = clearings[instrument].positions().size(account);
                if (u.futureLinked[i] && size != 0 && margin.marginMode(account, instrument) != MarginMode.ISOLATED) {
                    u.setLeg(account, u.futureSeries[i], on ? size : 0, OptionRegistry.mode(on));
                }
            }
            OptionMarginAccount held = u.accounts.get(account);
            if (held != null) {
                held.setMode(OptionRegistry.mode(on));
            }
        }
    }
}
