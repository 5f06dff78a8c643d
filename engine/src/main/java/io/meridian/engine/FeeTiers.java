package io.meridian.engine;

import io.meridian.model.InstrumentSpec;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.margin.FeeTier;
import org.agrona.collections.Long2LongHashMap;

import java.util.List;

/**
 * Which fee tier each account is in, and the rates that follow: tier 0 (every account's start) pays the
 * instrument's own maker and taker rates, tiers 1..n the venue-wide VIP rates. Engine thread only.
 *
 * <p>Every pairing of a maker and a taker, in any tiers, must leave the venue at least even on a trade: an
 * instrument is only accepted when no tier's rebate exceeds its taker rate and its own rebate exceeds no tier's taker
 * rate ({@link #acceptsInstrument}); the VIP tiers among themselves are checked the same way at start.
 */
final class FeeTiers {
    private final long[] makerPpm;
    private final long[] takerPpm;
    private final Long2LongHashMap tierOf = new Long2LongHashMap(64, 0.5f, 0L);
    private final long maxTakerPpm;

    FeeTiers(List<FeeTier> vipTiers) {
        int n = vipTiers.size() + 1;
        makerPpm = new long[n];
        takerPpm = new long[n];
        long maxTaker = 0;
        for (int i = 1; i < n; i++) {
            makerPpm[i] = vipTiers.get(i - 1).makerPpm();
            takerPpm[i] = vipTiers.get(i - 1).takerPpm();
            maxTaker = Math.max(maxTaker, takerPpm[i]);
        }
        for (int i = 1; i < n; i++) {
            for (int j = 1; j < n; j++) {
                if (-makerPpm[i] > takerPpm[j]) {
                    throw new IllegalArgumentException("VIP tier " + i + "'s rebate exceeds tier " + j + "'s taker fee");
                }
            }
        }
        maxTakerPpm = maxTaker;
    }

    /** Highest taker rate of any VIP tier. */
    long maxVipTakerPpm() {
        return maxTakerPpm;
    }

    int tierCount() {
        return makerPpm.length;
    }

    boolean acceptsInstrument(InstrumentSpec spec) {
        for (int i = 1; i < makerPpm.length; i++) {
            if (-makerPpm[i] > spec.takerFeePpm() || -spec.makerFeePpm() > takerPpm[i]) {
                return false;
            }
        }
        return true;
    }

    void setTier(long account, int tier) {
        if (tier == 0) {
            tierOf.remove(account);
        } else {
            tierOf.put(account, tier);
        }
    }

    int tier(long account) {
        return (int) tierOf.get(account);
    }

    long makerPpm(long account, InstrumentSpec spec) {
        int tier = tier(account);
        return tier == 0 ? spec.makerFeePpm() : makerPpm[tier];
    }

    long takerPpm(long account, InstrumentSpec spec) {
        int tier = tier(account);
        return tier == 0 ? spec.takerFeePpm() : takerPpm[tier];
    }

    void hashState(StateHasher hasher) {
        LongMaps.hashSorted(hasher, tierOf);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Writes every account's tier above 0 (map order); the rates are the engine's configuration. */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(tierOf.size());
        tierOf.forEachLong((account, tier) -> {
            out.writeVarLong(account);
            out.writeCount(tier);
        });
    }

    /** Restores what {@link #writeSnapshot} wrote into tiers that hold none yet; refuses tiers this venue lacks. */
    void readSnapshot(SnapshotReader in) {
        if (!tierOf.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into new fee tiers only");
        }
        int count = in.readCount(2);
        for (int i = 0; i < count; i++) {
            long account = in.readVarLong();
            int tier = in.readIndex(tierCount(), "fee tier");
            if (tier == 0 || tierOf.put(account, tier) != 0) {
                throw in.fail("account " + account + " has fee tier " + tier + " or is there twice");
            }
        }
    }
}
