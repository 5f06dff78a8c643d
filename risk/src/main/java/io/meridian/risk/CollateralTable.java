package io.meridian.risk;

import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.FixedPoint;
import io.meridian.model.StateHasher;

import java.util.Arrays;

/**
 * The collateral table of the {@link MarginEngine}: which assets back equity in which settlement asset, at what price
 * and weight, and what an account's balances in them are worth: {@code floor(floor(balance x price / 10^scale) x
 * weight / 1e6)} per positive balance, rounded down, against the account. While a withdrawal of a collateral asset is
 * checked ({@link #beginWithdrawal}), the amount being withdrawn counts as already gone.
 *
 * <p>Engine thread only. {@link #value} runs in every margin computation; it allocates nothing.
 */
final class CollateralTable {
    /** One asset backing a settlement asset. */
    private static final class Collateral {
        final int asset;
        final long unit;
        long price;
        long weightPpm;

        Collateral(int asset, long unit, long price, long weightPpm) {
            this.asset = asset;
            this.unit = unit;
            this.price = price;
            this.weightPpm = weightPpm;
        }
    }

    private final MarginEngine.Venue venue;
    /** Per settlement asset id, the collateral that backs it; null when none. */
    private Collateral[][] collateral = new Collateral[16][];
    /** While checking a withdrawal of collateral: the asset and the amount to count as already gone. */
    private int withdrawingAsset = -1;
    private long withdrawingAmount;

    CollateralTable(MarginEngine.Venue venue) {
        this.venue = venue;
    }

    /** See {@link MarginEngine#setCollateral}. */
    boolean set(int asset, int scale, int settlementAsset, long price, long weightPpm) {
        if (settlementAsset >= collateral.length) {
            collateral = Arrays.copyOf(collateral, Math.max(settlementAsset + 1, collateral.length * 2));
        }
        Collateral[] list = collateral[settlementAsset];
        if (list != null) {
            for (Collateral entry : list) {
                if (entry.asset == asset) {
                    boolean changed = entry.price != price || entry.weightPpm != weightPpm;
                    entry.price = price;
                    entry.weightPpm = weightPpm;
                    return changed;
                }
            }
        }
        long unit = 1;
        for (int i = 0; i < scale; i++) {
            unit *= 10;
        }
        Collateral added = new Collateral(asset, unit, price, weightPpm);
        collateral[settlementAsset] = list == null ? new Collateral[] {added} : append(list, added);
        return true;
    }

    private static Collateral[] append(Collateral[] list, Collateral added) {
        Collateral[] grown = Arrays.copyOf(list, list.length + 1);
        grown[list.length] = added;
        return grown;
    }

    /** What the account's balances in other assets add to its equity in {@code settlementAsset}. */
    long value(long account, int settlementAsset) {
        Collateral[] list = settlementAsset < collateral.length ? collateral[settlementAsset] : null;
        if (list == null) {
            return 0;
        }
        long total = 0;
        for (Collateral entry : list) {
            long balance = venue.balance(account, entry.asset);
            if (entry.asset == withdrawingAsset) {
                balance -= withdrawingAmount;
            }
            if (balance > 0) {
                long value = FixedPoint.mulDivFloor(balance, entry.price, entry.unit);
                total = Math.addExact(total, FixedPoint.mulDivFloor(value, entry.weightPpm, FixedPoint.PPM));
            }
        }
        return total;
    }

    /** Until {@link #endWithdrawal}, {@link #value} counts {@code amount} of {@code asset} as gone from every account. */
    void beginWithdrawal(int asset, long amount) {
        withdrawingAsset = asset;
        withdrawingAmount = amount;
    }

    void endWithdrawal() {
        withdrawingAsset = -1;
    }

    /** One more than the highest settlement asset id that may have collateral. */
    int settlementLimit() {
        return collateral.length;
    }

    /** True when {@code asset} is registered as collateral for {@code settlementAsset} (below {@link #settlementLimit}). */
    boolean backs(int asset, int settlementAsset) {
        Collateral[] list = collateral[settlementAsset];
        if (list != null) {
            for (Collateral entry : list) {
                if (entry.asset == asset) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Feeds the table into the hasher: settlement assets by id, their collateral in registration order. */
    void hash(StateHasher hasher) {
        for (int settlement = 0; settlement < collateral.length; settlement++) {
            Collateral[] list = collateral[settlement];
            if (list != null) {
                hasher.add(settlement).add(list.length);
                for (Collateral entry : list) {
                    hasher.add(entry.asset).add(entry.price).add(entry.weightPpm);
                }
            }
        }
    }

    /** Settlement asset ids a snapshot may name in the collateral table (the ledger's are far fewer). */
    private static final int MAX_SNAPSHOT_ASSET = 1 << 16;

    /** Writes the table (part of {@link MarginEngine#writeSnapshot}): per settlement asset its collateral in order. */
    void writeSnapshot(SnapshotWriter out) {
        int lists = 0;
        for (Collateral[] list : collateral) {
            lists += list == null ? 0 : 1;
        }
        out.writeCount(lists);
        for (int settlement = 0; settlement < collateral.length; settlement++) {
            Collateral[] list = collateral[settlement];
            if (list == null) {
                continue;
            }
            out.writeCount(settlement);
            out.writeCount(list.length);
            for (Collateral entry : list) {
                out.writeVarInt(entry.asset);
                out.writeVarLong(entry.unit);
                out.writeVarLong(entry.price);
                out.writeVarLong(entry.weightPpm);
            }
        }
    }

    /** Restores what {@link #writeSnapshot} wrote into this table, which must be empty. */
    void readSnapshot(SnapshotReader in) {
        int lists = in.readCount(2);
        for (int i = 0; i < lists; i++) {
            int settlement = in.readIndex(MAX_SNAPSHOT_ASSET, "settlement asset");
            if (settlement >= collateral.length) {
                collateral = Arrays.copyOf(collateral, Math.max(settlement + 1, collateral.length * 2));
            }
            int length = in.readCount(4);
            if (collateral[settlement] != null || length == 0) {
                throw in.fail("the collateral of settlement asset " + settlement + " is empty or there twice");
            }
            Collateral[] list = new Collateral[length];
            for (int k = 0; k < length; k++) {
                list[k] = new Collateral(in.readVarInt(), in.readVarLong(), in.readVarLong(), in.readVarLong());
                if (list[k].unit <= 0) {
                    throw in.fail("collateral asset " + list[k].asset + " has unit " + list[k].unit);
                }
            }
            collateral[settlement] = list;
        }
    }
}
