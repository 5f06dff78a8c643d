package io.meridian.engine;

import io.meridian.model.MarginMode;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.margin.Health;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Finds whom the {@link Liquidator} is to look at, without scanning (its "Detection without scanning"): per instrument
 * the liquidation triggers of longs and shorts ({@link TriggerIndex}) and the cross accounts with positions in other
 * instruments too, whose triggers a mark move there makes stale; the accounts whose triggers are stale (dirty), which
 * are recomputed at the next mark change before anything is popped; and what is queued for the next liquidation round:
 * the candidates (accounts a mark crossed, or found liquidatable at the end of a command) and the deficits to cover.
 * It decides nothing: the liquidator measures every candidate's exact state before it acts.
 *
 * <p>Engine thread only; garbage-free once grown (a round's candidates are handed out in a new sorted array).
 */
final class LiquidationWatch {
    private final Clearing[] clearings;
    private final MarginEngine margin;
    private final TriggerIndex[] longs;
    private final TriggerIndex[] shorts;
    /** Per instrument: cross accounts that also hold positions in other instruments. */
    private final LongHashSet[] multi;

    private long[] dirty = new long[256];
    private int dirtyCount;
    /** Not final: a restored watch gets a set sized for its dirty accounts ({@link #readSnapshot}). */
    private LongHashSet dirtySet = new LongHashSet(256);
    private long[] candidates = new long[64];
    private int candidateCount;
    private final LongHashSet candidateSet = new LongHashSet(64);
    private final LongConsumer candidateSink = this::addCandidate;
    /** Accounts with negative equity and nothing left to close, with the asset: (account, asset) pairs. */
    private long[] deficitAccounts = new long[8];
    private int[] deficitAssets = new int[8];
    private int deficitCount;

    private int[] instrumentScratch = new int[8];

    LiquidationWatch(Clearing[] clearings, MarginEngine margin) {
        this.clearings = clearings;
        this.margin = margin;
        this.longs = new TriggerIndex[clearings.length];
        this.shorts = new TriggerIndex[clearings.length];
        this.multi = new LongHashSet[clearings.length];
    }

    void addInstrument(int instrument) {
        longs[instrument] = new TriggerIndex(true);
        shorts[instrument] = new TriggerIndex(false);
        multi[instrument] = new LongHashSet(16);
    }

    /** The account's balance or positions changed: its triggers must be recomputed before the next mark is used. */
    void markDirty(long account) {
        if (account > 0 && dirtySet.add(account)) {
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = account;
        }
    }

    /**
     * The instrument's mark changed (and its price is usable): recomputes the dirty accounts' triggers, queues every
     * position whose trigger the mark crossed, and marks dirty the cross accounts that also hold other instruments
     * (their triggers there held this mark constant).
     */
    void onMarkChanged(int instrument, long mark) {
        flushDirty();
        longs[instrument].drainCrossed(mark, candidateSink);
        shorts[instrument].drainCrossed(mark, candidateSink);
        LongHashSet holders = multi[instrument];
        if (!holders.isEmpty()) {
            LongHashSet.LongIterator it = holders.iterator();
            while (it.hasNext()) {
                markDirty(it.nextValue());
            }
        }
    }

    /** Queues the account for the next liquidation round (once, however often it is queued). */
    void addCandidate(long account) {
        if (candidateSet.add(account)) {
            if (candidateCount == candidates.length) {
                candidates = Arrays.copyOf(candidates, candidateCount * 2);
            }
            candidates[candidateCount++] = account;
        }
    }

    /** Queues the account's deficit in the asset for the next round to cover (see {@link Liquidator#considerDeficit}). */
    void considerDeficit(long account, int asset) {
        if (deficitCount == deficitAccounts.length) {
            deficitAccounts = Arrays.copyOf(deficitAccounts, deficitCount * 2);
            deficitAssets = Arrays.copyOf(deficitAssets, deficitCount * 2);
        }
        deficitAccounts[deficitCount] = account;
        deficitAssets[deficitCount++] = asset;
    }

    /** Whether a candidate or a deficit is queued. */
    boolean hasQueued() {
        return candidateCount > 0 || deficitCount > 0;
    }

    /** The queued candidates in ascending account order, in an array of their own; the queue is emptied. */
    long[] takeCandidates() {
        long[] batch = Arrays.copyOf(candidates, candidateCount);
        candidateCount = 0;
        candidateSet.clear();
        Arrays.sort(batch);
        return batch;
    }

    /**
     * Empties the deficit queue and returns how many deficits it held; {@link #deficitAccount} and
     * {@link #deficitAsset} read them (0 .. that count - 1) until the next deficit is queued.
     */
    int takeDeficits() {
        int deficits = deficitCount;
        deficitCount = 0;
        return deficits;
    }

    long deficitAccount(int index) {
        return deficitAccounts[index];
    }

    int deficitAsset(int index) {
        return deficitAssets[index];
    }

    /** Recomputes the triggers of every dirty account. */
    private void flushDirty() {
        for (int i = 0; i < dirtyCount; i++) {
            recomputeTriggers(dirty[i]);
        }
        dirtyCount = 0;
        dirtySet.clear();
    }

    private void recomputeTriggers(long account) {
        instrumentScratch = margin.activeInstruments(account, instrumentScratch);
        int count = margin.activeCount();
        int crossPositions = 0;
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            Position position = clearings[instrument].positions().position(account);
            if (position != null && margin.marginMode(account, instrument) != MarginMode.ISOLATED) {
                crossPositions++;
            }
        }
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            Position position = clearings[instrument].positions().position(account);
            long trigger = position == null ? Health.NO_LIQUIDATION_PRICE : margin.liquidationPrice(account, instrument);
            TriggerIndex longIndex = longs[instrument];
            TriggerIndex shortIndex = shorts[instrument];
            if (trigger == Health.NO_LIQUIDATION_PRICE) {
                longIndex.remove(account);
                shortIndex.remove(account);
            } else if (position.size() > 0) {
                shortIndex.remove(account);
                longIndex.put(account, trigger);
            } else {
                longIndex.remove(account);
                shortIndex.put(account, trigger);
            }
            boolean cross = position != null && margin.marginMode(account, instrument) != MarginMode.ISOLATED;
            if (cross && crossPositions > 1) {
                multi[instrument].add(account);
            } else {
                multi[instrument].remove(account);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** True while no account is dirty and no candidate queued: what a snapshot is restored into. */
    boolean isEmpty() {
        return dirtyCount == 0 && candidateCount == 0;
    }

    /**
     * Writes the watch's part of the liquidation section (see {@link Liquidator#writeSnapshot}): per instrument
     * (ascending) the triggers of longs and shorts and the multi-instrument cross accounts; the dirty accounts, in
     * order; the queued candidates and deficits.
     */
    void writeSnapshot(SnapshotWriter out) {
        int instruments = 0;
        for (TriggerIndex index : longs) {
            instruments += index == null ? 0 : 1;
        }
        out.writeCount(instruments);
        for (int id = 0; id < longs.length; id++) {
            if (longs[id] == null) {
                continue;
            }
            out.writeCount(id);
            longs[id].writeSnapshot(out);
            shorts[id].writeSnapshot(out);
            out.writeCount(multi[id].size());
            multi[id].forEachLong(out::writeVarLong);
        }
        writeLongs(out, dirty, dirtyCount);
        writeLongs(out, candidates, candidateCount);
        out.writeCount(deficitCount);
        for (int i = 0; i < deficitCount; i++) {
            out.writeVarLong(deficitAccounts[i]);
            out.writeCount(deficitAssets[i]);
        }
    }

    private static void writeLongs(SnapshotWriter out, long[] values, int count) {
        out.writeCount(count);
        for (int i = 0; i < count; i++) {
            out.writeVarLong(values[i]);
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this watch, whose instruments are all added and which is
     * {@link #isEmpty}. Refuses instruments it does not have (or has more of), and dirty accounts listed twice.
     */
    void readSnapshot(SnapshotReader in) {
        int instruments = in.readCount(4);
        int added = 0;
        for (TriggerIndex index : longs) {
            added += index == null ? 0 : 1;
        }
        if (instruments != added) {
            throw in.fail("liquidation state for " + instruments + " instruments, the engine has " + added);
        }
        int previous = -1;
        for (int i = 0; i < instruments; i++) {
            int id = in.readIndex(longs.length, "instrument");
            if (id <= previous || longs[id] == null) {
                throw in.fail("instrument " + id + " is unknown or out of order");
            }
            previous = id;
            longs[id].readSnapshot(in);
            shorts[id].readSnapshot(in);
            int holders = in.readCount(1);
            for (int k = 0; k < holders; k++) {
                multi[id].add(in.readVarLong());
            }
        }
        int dirtyAccounts = in.readCount(1);
        if (dirtyAccounts > dirty.length) {
            dirty = new long[dirtyAccounts];
            dirtySet = new LongHashSet(2 * dirtyAccounts);
        }
        for (int i = 0; i < dirtyAccounts; i++) {
            long account = in.readVarLong();
            if (account <= 0 || !dirtySet.add(account)) {
                throw in.fail("dirty account " + account + " is not a user account or is there twice");
            }
            dirty[dirtyCount++] = account;
        }
        int queued = in.readCount(1);
        for (int i = 0; i < queued; i++) {
            addCandidate(in.readVarLong());
        }
        int deficits = in.readCount(2);
        for (int i = 0; i < deficits; i++) {
            considerDeficit(in.readVarLong(), in.readIndex(Liquidator.MAX_SNAPSHOT_ASSET, "asset"));
        }
    }
}
