package io.meridian.risk;

import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The positions of every account in one instrument. Single-threaded (engine thread). The map holds open positions
 * only: a position that goes flat returns to a pool and is reused for the next one that opens, so trading allocates
 * nothing once the pool and the map have grown to the venue's size.
 */
public final class PositionBook implements PositionsView {
    private final int instrument;
    private final long minorUnitsPerTickLot;
    /** Not final: a restored book gets a map sized for its positions ({@link #readSnapshot}). */
    private Long2ObjectHashMap<Position> positions = new Long2ObjectHashMap<>(1024, 0.5f);
    /** Flat positions kept for reuse, so that opening and closing positions allocates nothing in steady state. */
    private final ArrayDeque<Position> pool = new ArrayDeque<>();
    private long longLots;

    public PositionBook(int instrument, long minorUnitsPerTickLot) {
        this.instrument = instrument;
        this.minorUnitsPerTickLot = minorUnitsPerTickLot;
    }

    public int instrument() {
        return instrument;
    }

    @Override
    public long minorUnitsPerTickLot() {
        return minorUnitsPerTickLot;
    }

    /** The open position of the account, or null when it is flat. */
    @Override
    public Position position(long account) {
        return positions.get(account);
    }

    /** Signed net size in lots, 0 when flat. */
    @Override
    public long size(long account) {
        Position position = positions.get(account);
        return position == null ? 0 : position.size();
    }

    /** Open interest: the sum of all long sizes, which equals the sum of all short sizes. */
    @Override
    public long openInterest() {
        return longLots;
    }

    @Override
    public int openPositions() {
        return positions.size();
    }

    /**
     * Applies one side of a trade to the account's position and returns the PnL it realises in settlement minor
     * units (0 when the fill only opens or adds).
     */
    public long applyFill(long account, Side side, long price, long quantity) {
        Position position = positions.get(account);
        if (position == null) {
            position = pool.isEmpty() ? new Position(instrument) : pool.pop();
            position.open(account);
            positions.put(account, position);
        }
        long before = position.size();
        long pnl = position.applyFill(side, price, quantity, minorUnitsPerTickLot);
        long after = position.size();
        longLots += Math.max(after, 0) - Math.max(before, 0);
        if (after == 0) {
            positions.remove(account);
            pool.push(position);
        }
        return pnl;
    }

    /** Open positions sorted by account (a new list; for tools, hashing and tests). */
    @Override
    public List<Position> sortedPositions() {
        List<Position> list = new ArrayList<>(positions.values());
        list.sort((a, b) -> Long.compare(a.account(), b.account()));
        return list;
    }

    /** Feeds every open position in ascending account order into the hasher. */
    public void hashState(StateHasher hasher) {
        hasher.add(instrument).add(positions.size()).add(longLots);
        for (Position position : sortedPositions()) {
            hasher.add(position.account()).add(position.size()).add(position.openValue()).add(position.realizedPnl());
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Format version of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    public static final int SNAPSHOT_VERSION = 1;

    /**
     * Writes the open positions (version {@value #SNAPSHOT_VERSION}): the long lots, then per open position (map
     * order) its account, size, cost basis and realised PnL. The pool of flat positions is not state.
     */
    public void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(longLots);
        out.writeCount(positions.size());
        positions.forEachLong((account, position) -> {
            out.writeVarLong(account);
            out.writeVarLong(position.size());
            out.writeVarLong(position.openValue());
            out.writeVarLong(position.realizedPnl());
        });
    }

    /** Restores what {@link #writeSnapshot} wrote into this book, which must be empty. Refuses flat or repeated ones. */
    public void readSnapshot(SnapshotReader in) {
        if (!positions.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty position book only");
        }
        longLots = in.readVarLong();
        int count = in.readCount(4);
        if (count > positions.capacity() / 2) {
            positions = new Long2ObjectHashMap<>(2 * count, 0.5f);
        }
        for (int i = 0; i < count; i++) {
            long account = in.readVarLong();
            Position position = new Position(instrument);
            position.restore(account, in.readVarLong(), in.readVarLong(), in.readVarLong());
            if (position.size() == 0 || positions.put(account, position) != null) {
                throw in.fail("instrument " + instrument + ": the position of account " + account
                        + " is flat or there twice");
            }
        }
    }
}
