package io.meridian.engine;

import io.meridian.ledger.BalanceVisitor;
import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.FixedPoint;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.MarginEngine;

import java.util.ArrayList;
import java.util.List;

/**
 * Funds and transfers: ADD_ASSET, DEPOSIT, WITHDRAW, TRANSFER (between accounts of one owner), ADJUST_ISOLATED_MARGIN
 * and SET_COLLATERAL, with collateral priced from indexes re-priced at every usable index recompute. Value that
 * leaves an account (withdrawal, transfer out) keeps what its initial margin needs ({@code WITHDRAWAL_BREACHES_MARGIN}).
 * Every refusal is a {@code commandRejected} event. Engine thread.
 */
final class FundsHandler {
    private final Markets markets;
    private final Ledger ledger;
    private final MarginEngine margin;
    private final TouchedAccounts touched;
    private final AccountsHandler accounts;
    /** Collateral priced from indexes, in the order they were set (re-priced in that order). */
    private final List<CollateralLink> collateralLinks = new ArrayList<>();
    private final CollateralHolders collateralHolders = new CollateralHolders();
    private int[] instrumentScratch = new int[8];
    private long lastChainDepositId;
    private long lastForcedRef;

    FundsHandler(Markets markets, MarginEngine margin, TouchedAccounts touched, AccountsHandler accounts) {
        this.markets = markets;
        this.ledger = markets.ledger;
        this.margin = margin;
        this.touched = touched;
        this.accounts = accounts;
    }

    void addAsset(Command c) {
        AssetSpec spec = c.assetSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_ASSET : null;
        if (reason == null && markets.assetsBySymbol.containsKey(spec.symbol())) {
            reason = RejectReason.ASSET_EXISTS;
        }
        if (reason == null) {
            reason = ledger.addAsset(spec);
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        markets.assetsBySymbol.put(spec.symbol(), spec);
    }

    /**
     * Credits a deposit into a user account, or, with {@code account = INSURANCE_FUND}, the operator funding the
     * insurance fund from outside (a DEPOSIT posting from EXTERNAL to the fund). Returns whether it was applied.
     */
    boolean deposit(Command c) {
        if (c.chainDepositId != 0 && c.chainDepositId != lastChainDepositId + 1) {
            markets.reject(c, c.chainDepositId <= lastChainDepositId ? RejectReason.CHAIN_DEPOSIT_CREDITED
                    : RejectReason.CHAIN_DEPOSIT_GAP);
            return false;
        }
        boolean credited = credit(c);
        if (credited && c.chainDepositId != 0) {
            lastChainDepositId = c.chainDepositId;
        }
        return credited;
    }

    /**
     * The vault's id of the last on-chain deposit credited (0: none). A chain deposit must carry the next one: a repeat is
     * {@code CHAIN_DEPOSIT_CREDITED}, a jump {@code CHAIN_DEPOSIT_GAP}; a refused one (say for an unknown asset) is not
     * consumed, so the deposits behind it wait until it is credited rather than money being skipped.
     */
    long lastChainDepositId() {
        return lastChainDepositId;
    }

    void restoreLastChainDepositId(long id) {
        lastChainDepositId = id;
    }

    long lastForcedRef() {
        return lastForcedRef;
    }

    void restoreLastForcedRef(long ref) {
        lastForcedRef = ref;
    }

    /**
     * FORCED_WITHDRAWAL: serves the vault's next forced request ({@code FORCED_WITHDRAWAL_SERVED} for one served,
     * {@code FORCED_WITHDRAWAL_GAP} past the next; {@code UNKNOWN_ASSET} is not consumed). Pays out what a withdrawal
     * could take now (the balance above the margin reserve, if the collateral rules allow it, else nothing) to the
     * address itself, and writes the amount into {@code c.amount} for the settlement batch. An address without an
     * account is served with 0: its request is answered, there is nothing to pay. Open orders are not canceled.
     */
    void forcedWithdrawal(Command c) {
        RejectReason reason = c.forcedRef <= lastForcedRef ? RejectReason.FORCED_WITHDRAWAL_SERVED
                : c.forcedRef != lastForcedRef + 1 ? RejectReason.FORCED_WITHDRAWAL_GAP
                : ledger.asset(c.asset) == null ? RejectReason.UNKNOWN_ASSET : null;
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        long amount = 0;
        if (c.account > 0) {
            long balance = ledger.balance(c.account, c.asset);
            long free = Math.max(0, Math.min(balance, balance - Math.max(0, margin.withdrawalReserve(c.account, c.asset))));
            if (free > 0 && checkOutflow(c.account, c.asset, free) == null
                    && ledger.withdraw(c.account, c.asset, free, 0) == null) {
                amount = free;
                touched.add(c.account, c.asset);
            }
        }
        c.amount = amount;
        c.destination = c.address;
        lastForcedRef = c.forcedRef;
    }

    private boolean credit(Command c) {
        if (c.account == SystemAccounts.INSURANCE_FUND) {
            RejectReason reason = ledger.asset(c.asset) == null ? RejectReason.UNKNOWN_ASSET
                    : c.amount <= 0 ? RejectReason.INVALID_AMOUNT : null;
            if (reason != null) {
                markets.reject(c, reason);
                return false;
            }
            ledger.post(PostingType.DEPOSIT, c.asset, SystemAccounts.EXTERNAL, SystemAccounts.INSURANCE_FUND, c.amount);
            return true;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT : ledger.deposit(c.account, c.asset, c.amount);
        if (reason != null) {
            markets.reject(c, reason);
            return false;
        }
        touched.add(c.account, c.asset);
        return true;
    }

    /**
     * A withdrawal may take at most what leaves equity covering the initial margin of the account's positions and
     * orders in that asset, and never more than the balance (unrealised profit cannot leave):
     * {@code WITHDRAWAL_BREACHES_MARGIN} when the balance would cover it but the margin would not.
     */
    void withdraw(Command c) {
        RejectReason reason;
        if (c.account <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (ledger.asset(c.asset) == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        } else {
            reason = checkOutflow(c.account, c.asset, c.amount);
            if (reason == null) {
                reason = ledger.withdraw(c.account, c.asset, c.amount, 0);
            }
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        markets.events.withdrawalAccepted(c.sequence, c.timestamp, c.account, c.asset, c.amount, c.destination);
        touched.add(c.account, c.asset);
    }

    /**
     * Moves value between two accounts of the same owner (the owner and its sub-accounts). The sender keeps what
     * its initial margin needs, as for a withdrawal. Rejects {@code INVALID_ACCOUNT}, {@code INVALID_TRANSFER} (same
     * account, or different owners), {@code UNKNOWN_ASSET}, {@code INVALID_AMOUNT}, {@code WITHDRAWAL_BREACHES_MARGIN}
     * and {@code INSUFFICIENT_BALANCE}.
     */
    void transfer(Command c) {
        RejectReason reason;
        if (c.account <= 0 || c.counterparty <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (c.account == c.counterparty || accounts.ownerOf(c.account) != accounts.ownerOf(c.counterparty)) {
            reason = RejectReason.INVALID_TRANSFER;
        } else if (ledger.asset(c.asset) == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        } else {
            reason = checkOutflow(c.account, c.asset, c.amount);
            if (reason == null) {
                reason = ledger.transfer(c.account, c.counterparty, c.asset, c.amount, 0);
            }
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        touched.add(c.account, c.asset);
        touched.add(c.counterparty, c.asset);
    }

    /**
     * Margin limits on value leaving an account (withdrawal or transfer out): what its own settlement-asset margin
     * needs stays, and so does what any settlement asset it is collateral for needs. Null when the margin allows it;
     * the ledger then checks the balance.
     */
    private RejectReason checkOutflow(long account, int asset, long amount) {
        if (amount <= 0 || amount > ledger.balance(account, asset)) {
            return null;
        }
        long reserve = Math.max(0, margin.withdrawalReserve(account, asset));
        if (amount > ledger.balance(account, asset) - reserve) {
            return RejectReason.WITHDRAWAL_BREACHES_MARGIN;
        }
        return margin.checkCollateralWithdrawal(account, asset, amount);
    }

    void adjustIsolatedMargin(Command c) {
        OrderBook book = markets.book(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : margin.adjustIsolatedMargin(c.account, c.instrument, c.amount);
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        touched.add(c.account, markets.clearings[c.instrument].asset());
    }

    /**
     * Registers or re-prices collateral. With {@code price > 0} the price is fixed (settlement minor units per whole
     * collateral unit); with {@code price == 0} it follows index {@code indexId}, whose price (in the settlement
     * asset's currency) is converted at every usable recompute, rounded down, and frozen while the index is stale;
     * until the index first publishes the collateral is worth nothing. Rejects {@code INVALID_COLLATERAL} and,
     * for an index that does not exist, {@code UNKNOWN_INDEX}.
     */
    void setCollateral(Command c) {
        AssetSpec asset = ledger.asset(c.asset);
        AssetSpec settlement = ledger.asset(c.settlementAsset);
        boolean valid = asset != null && settlement != null && c.asset != c.settlementAsset
                && c.price >= 0 && c.collateralWeightPpm > 0 && c.collateralWeightPpm <= FixedPoint.PPM;
        RejectReason reason = valid ? null : RejectReason.INVALID_COLLATERAL;
        PriceIndex index = reason == null && c.price == 0 ? markets.index(c.indexId) : null;
        if (reason == null && c.price == 0 && index == null) {
            reason = RejectReason.UNKNOWN_INDEX;
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        collateralLinks.removeIf(link -> link.asset() == c.asset && link.settlementAsset() == c.settlementAsset);
        if (index == null) {
            if (margin.setCollateral(c.asset, asset.scale(), c.settlementAsset, c.price, c.collateralWeightPpm)) {
                collateralHolders.touch(c.asset, c.settlementAsset);
            }
            return;
        }
        CollateralLink link = new CollateralLink(c.indexId, c.asset, asset.scale(), c.settlementAsset,
                FixedPoint.pow10(settlement.scale()), c.collateralWeightPpm);
        collateralLinks.add(link);
        if (margin.setCollateral(c.asset, asset.scale(), c.settlementAsset, index.hasPrice() ? link.price(index) : 0,
                c.collateralWeightPpm)) {
            collateralHolders.touch(c.asset, c.settlementAsset);
        }
    }

    /** Re-prices the collateral that follows {@code index}, which just recomputed to a usable price. */
    void repriceCollateral(PriceIndex index) {
        for (int i = 0; i < collateralLinks.size(); i++) {
            CollateralLink link = collateralLinks.get(i);
            if (link.indexId() == index.spec().id() && margin.setCollateral(link.asset(), link.assetScale(),
                    link.settlementAsset(), link.price(index), link.weightPpm())) {
                collateralHolders.touch(link.asset(), link.settlementAsset());
            }
        }
    }

    int collateralLinkCount() {
        return collateralLinks.size();
    }

    /** Link i: index id, asset, asset scale, settlement asset, settlement unit, weight (ppm); for snapshots. */
    long[] collateralLink(int i) {
        CollateralLink link = collateralLinks.get(i);
        return new long[] {link.indexId(), link.asset(), link.assetScale(), link.settlementAsset(),
            link.settlementUnit(), link.weightPpm()};
    }

    /** Restores a link written by a snapshot (in order). */
    void addCollateralLink(int indexId, int asset, int assetScale, int settlementAsset, long settlementUnit,
                           long weightPpm) {
        collateralLinks.add(new CollateralLink(indexId, asset, assetScale, settlementAsset, settlementUnit, weightPpm));
    }

    void hashCollateral(StateHasher hasher) {
        if (lastChainDepositId != 0 || lastForcedRef != 0) {
            hasher.add("chain").add(lastChainDepositId).add(lastForcedRef);
        }
        hasher.add(collateralLinks.size());
        for (CollateralLink link : collateralLinks) {
            hasher.add(link.indexId()).add(link.asset()).add(link.settlementAsset()).add(link.weightPpm());
        }
    }

    /**
     * When a collateral asset is re-priced, the equity of every account holding it changes with no mark or fill
     * involved: such accounts with open positions are touched, so the end of the command publishes their new state,
     * recomputes their liquidation triggers and liquidates any now under water. Costs one pass over the asset's
     * holders per re-pricing.
     */
    private final class CollateralHolders implements BalanceVisitor {
        private int settlementAsset;

        void touch(int asset, int settlement) {
            settlementAsset = settlement;
            ledger.forEachBalance(asset, this);
        }

        @Override
        public void visit(long account, long balance) {
            if (balance > 0 && account > 0) {
                margin.activeInstruments(account, instrumentScratch);
                if (margin.activeCount() > 0) {
                    touched.add(account, settlementAsset);
                }
            }
        }
    }

    /** A collateral asset priced from an index: settlement minor units per whole unit = index x 10^scale / 10^d. */
    private record CollateralLink(int indexId, int asset, int assetScale, int settlementAsset, long settlementUnit,
                                  long weightPpm) {
        long price(PriceIndex index) {
            return FixedPoint.mulDivFloor(index.price(), settlementUnit, FixedPoint.pow10(index.spec().priceDecimals()));
        }
    }
}
