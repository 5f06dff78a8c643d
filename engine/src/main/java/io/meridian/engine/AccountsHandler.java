package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.risk.MarginEngine;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * Accounts and their authority: who may sign for an account ({@link Authorisations}: addresses, agent keys, nonces,
 * sessions), sub-account links, and the per-account settings (leverage, margin mode, fee tier). APPROVE_AGENT,
 * REVOKE_AGENT, OPEN_SESSION, LINK_SUBACCOUNT, SET_LEVERAGE, SET_MARGIN_MODE and SET_FEE_TIER; every refusal is a
 * {@code commandRejected} event. Engine thread.
 */
final class AccountsHandler {
    private final Markets markets;
    private final MarginEngine margin;
    private final Options options;
    private final FeeTiers feeTiers;
    private final TouchedAccounts touched;
    private final Authorisations authorisations;
    /** Sub-account to owner. An account that is in neither this map's keys nor {@link #owners} stands alone. */
    private final Long2LongHashMap ownerOf = new Long2LongHashMap(64, 0.5f, 0L);
    private final LongHashSet owners = new LongHashSet(64);
    /** Made once: a method reference bound to this handler is a new object each time it is evaluated. */
    private final java.util.function.LongPredicate fresh = this::isFresh;

    AccountsHandler(Markets markets, MarginEngine margin, Options options, FeeTiers feeTiers, TouchedAccounts touched,
                    Authorisations authorisations) {
        this.markets = markets;
        this.margin = margin;
        this.options = options;
        this.feeTiers = feeTiers;
        this.touched = touched;
        this.authorisations = authorisations;
    }

    /** Null when the command's signer may act for its account (always, for a command with no address). */
    RejectReason authorise(Command c) {
        return c.address == null ? null : authorisations.authorise(c, fresh);
    }

    /**
     * APPROVE_AGENT or REVOKE_AGENT: only by address (the owner's signature verified before sequencing); the registry
     * applies it with the owner's nonce. Rejects {@code NOT_SIGNABLE} without an address, else the registry's reasons.
     */
    void agentAction(Command c) {
        RejectReason reason = c.address == null ? RejectReason.NOT_SIGNABLE : authorisations.applyAgentAction(c);
        if (reason != null) {
            markets.reject(c, reason);
        }
    }

    /** OPEN_SESSION: only by address ({@code NOT_SIGNABLE} otherwise); the session's id is the command's sequence. */
    void openSession(Command c) {
        if (c.address == null) {
            markets.reject(c, RejectReason.NOT_SIGNABLE);
        } else {
            authorisations.openSession(c);
        }
    }

    /** Tells the authorisations whether the DEPOSIT just applied opened (or credited) its address's account. */
    void depositApplied(boolean credited) {
        if (credited) {
            authorisations.depositSucceeded();
        } else {
            authorisations.depositFailed();
        }
    }

    /**
     * Links a sub-account to an owner. The sub-account must be fresh (no balance in any asset, no position, no open
     * order), not linked already and not an owner itself (one level: owner and subs); the owner must not be a
     * sub-account. Rejects {@code INVALID_ACCOUNT} or {@code INVALID_SUBACCOUNT}.
     */
    void linkSubaccount(Command c) {
        long owner = c.account;
        long sub = c.counterparty;
        RejectReason reason = null;
        if (owner <= 0 || sub <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (sub == owner || ownerOf.containsKey(sub) || owners.contains(sub) || ownerOf.containsKey(owner)
                || !isFresh(sub)) {
            reason = RejectReason.INVALID_SUBACCOUNT;
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        ownerOf.put(sub, owner);
        owners.add(owner);
    }

    /** The owner of an account: itself unless it was linked as a sub-account. */
    long ownerOf(long account) {
        long owner = ownerOf.get(account);
        return owner != 0 ? owner : account;
    }

    private boolean isFresh(long account) {
        for (AssetSpec asset : markets.assetsBySymbol.values()) {
            if (markets.ledger.balance(account, asset.id()) != 0) {
                return false;
            }
        }
        for (int i = 0; i < markets.instrumentCount; i++) {
            int id = markets.instrumentIds[i];
            if (markets.clearings[id].netPosition(account) != 0 || markets.books[id].openOrders(account) > 0) {
                return false;
            }
        }
        return true;
    }

    void setLeverage(Command c) {
        OrderBook book = markets.book(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : options.series(c.instrument) != null ? RejectReason.NOT_FOR_OPTIONS
                : margin.setLeverage(c.account, c.instrument, c.leverage);
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        touched.add(c.account, markets.clearings[c.instrument].asset());
    }

    void setFeeTier(Command c) {
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : c.feeTier < 0 || c.feeTier >= feeTiers.tierCount() ? RejectReason.INVALID_FEE_TIER : null;
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        feeTiers.setTier(c.account, c.feeTier);
    }

    /**
     * Per instrument: CROSS or ISOLATED, only while flat with no orders ({@code MARGIN_MODE_LOCKED}); an option cannot
     * be isolated ({@code NOT_FOR_OPTIONS}) and PORTFOLIO is account-wide ({@code INVALID_ACCOUNT_MARGIN_MODE}). With
     * instrument -1: the account-wide option margin mode ({@link Options#setAccountMode}).
     */
    void setMarginMode(Command c) {
        if (c.instrument == Command.ALL_INSTRUMENTS) {
            RejectReason reason = options.setAccountMode(c.account, c.marginMode, touched);
            if (reason != null) {
                markets.reject(c, reason);
            }
            return;
        }
        OrderBook book = markets.book(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : c.marginMode == null ? RejectReason.MISSING_MARGIN_MODE
                : c.marginMode == MarginMode.PORTFOLIO ? RejectReason.INVALID_ACCOUNT_MARGIN_MODE
                : c.marginMode == MarginMode.ISOLATED && options.series(c.instrument) != null
                ? RejectReason.NOT_FOR_OPTIONS
                : margin.setMarginMode(c.account, c.instrument, c.marginMode, book.openOrders(c.account) > 0);
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        touched.add(c.account, markets.clearings[c.instrument].asset());
    }

    /** Sub-account to owner, for snapshots ({@link EngineParts}). */
    Long2LongHashMap ownerOfMap() {
        return ownerOf;
    }

    /** Accounts that own sub-accounts, for snapshots ({@link EngineParts}). */
    LongHashSet owners() {
        return owners;
    }

    /** Sub-account links, then the authorisations (the order {@link Engine#stateHash} has always used). */
    void hashLinks(StateHasher hasher) {
        LongMaps.hashSorted(hasher, ownerOf);
    }
}
