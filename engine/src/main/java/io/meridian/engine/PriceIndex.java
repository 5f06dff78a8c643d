package io.meridian.engine;

import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.snapshot.SpecCodec;
import io.meridian.pricing.AggregatorConfig;
import io.meridian.pricing.DivergenceGuard;
import io.meridian.pricing.IndexAggregator;
import io.meridian.pricing.IndexEvents;
import io.meridian.pricing.OutlierMode;
import io.meridian.pricing.RealisedVolatility;
import io.meridian.pricing.ReportReject;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One index inside the engine: the {@link IndexAggregator} built from an {@link IndexSpec}, the instruments priced
 * from it (ascending id), and the bridge that turns the aggregator's decisions into engine events carrying the
 * command's sequence and timestamp. Engine thread only.
 */
final class PriceIndex implements IndexEvents {
    private final IndexSpec spec;
    private final IndexAggregator aggregator;
    private final DivergenceGuard guard;
    /**
     * The divergence guard holds the index: configured to hold, and the last published index diverged from its
     * average while at least one source was an outlier (the sources disagree).
     */
    private boolean held;
    /** Realised volatility measured from this index's publications (engine state: hashed and snapshotted). */
    private final RealisedVolatility volatility = new RealisedVolatility();
    private final EngineEvents events;
    private int[] instruments = new int[4];
    private int instrumentCount;
    private long sequence;
    private long timestamp;

    PriceIndex(IndexSpec spec, EngineEvents events) {
        this.spec = spec;
        this.events = events;
        this.aggregator = new IndexAggregator(config(spec), this);
        this.guard = new DivergenceGuard(spec.divergenceWindowNanos(), spec.maxDivergencePpm());
        for (int i = 0; i < spec.sources().size(); i++) {
            aggregator.registerSource(i, spec.sources().get(i));
        }
    }

    private static AggregatorConfig config(IndexSpec spec) {
        AggregatorConfig config = new AggregatorConfig(Math.max(1, spec.sources().size()), spec.stalenessNanos(),
                spec.outlierBandPpm(), spec.dropOutliers() ? OutlierMode.DROP : OutlierMode.CLAMP,
                spec.minFreshSources(), spec.maxMovePpmPerSecond(), IndexSpec.MAX_MOVE_ACCRUAL_NANOS,
                spec.maxConfidencePpm(), 1, Map.of());
        if (spec.weights() == null) {
            return config;
        }
        Map<Integer, Long> weights = new HashMap<>();
        for (int i = 0; i < spec.weights().size(); i++) {
            weights.put(i, spec.weights().get(i));
        }
        return config.withSourceWeights(weights);
    }

    IndexSpec spec() {
        return spec;
    }

    void addInstrument(int id) {
        if (instrumentCount == instruments.length) {
            instruments = Arrays.copyOf(instruments, instrumentCount * 2);
        }
        int i = instrumentCount++;
        while (i > 0 && instruments[i - 1] > id) {
            instruments[i] = instruments[i - 1];
            i--;
        }
        instruments[i] = id;
    }

    int instrumentCount() {
        return instrumentCount;
    }

    int instrument(int i) {
        return instruments[i];
    }

    /** Applies one report; null when accepted, else the engine's reject reason. Changes nothing when rejected. */
    RejectReason report(int sourceId, long price, long confidence, long sourceTimestamp, long now) {
        if (sourceId < 0 || sourceId >= spec.sources().size()) {
            return RejectReason.UNKNOWN_SOURCE;
        }
        ReportReject reject = aggregator.report(sourceId, price, confidence < 0 ? IndexAggregator.NO_CONFIDENCE
                : confidence, sourceTimestamp, now);
        return reject == null ? null : switch (reject) {
            case UNKNOWN_SOURCE -> RejectReason.UNKNOWN_SOURCE;
            case NON_POSITIVE_PRICE -> RejectReason.NON_POSITIVE_PRICE;
            case CONFIDENCE_TOO_WIDE -> RejectReason.CONFIDENCE_TOO_WIDE;
            case FUTURE_TIMESTAMP -> RejectReason.FUTURE_SOURCE_TIMESTAMP;
            case OUT_OF_ORDER -> RejectReason.SOURCE_OUT_OF_ORDER;
        };
    }

    /**
     * Recomputes the index at the command's time, emitting every decision, then runs the divergence guard on a
     * published index ({@link DivergenceGuard#checkAndDecideHold}): configured to hold, it holds while the sources
     * disagree (an outlier at this recompute) and the index either diverged from its average or moved away from a
     * dissenting source that stayed near the average (a captured majority); a diverged index on which every source
     * agrees is a real move and is only flagged. True when the index is usable.
     */
    boolean recompute(long commandSequence, long now) {
        this.sequence = commandSequence;
        this.timestamp = now;
        boolean hadIndex = aggregator.hasIndex();
        long before = aggregator.index();
        if (aggregator.recompute(now) && guard.isEnabled()) {
            boolean hold = guard.checkAndDecideHold(aggregator, now);
            held = hold && spec.holdOnDivergence();
            if (held && hadIndex) {
                // The held index stays where it was: when the sources agree again it resumes from there, never from a
                // value walked toward the price that was refused.
                aggregator.holdAt(before, now);
            }
            if (guard.isDiverged() || hold) {
                events.indexDiverged(sequence, timestamp, spec.id(), aggregator.index(), guard.ema(), held);
            }
        }
        return isUsable();
    }

    /** True when there is an index, it is not stale and the divergence guard does not hold it. */
    boolean isUsable() {
        return aggregator.hasIndex() && !aggregator.isStale() && !held;
    }

    /** Stale for the venue's purposes: too few fresh sources, never published, or held by the divergence guard. */
    boolean isStale() {
        return aggregator.isStale() || held;
    }

    long price() {
        return aggregator.index();
    }

    boolean hasPrice() {
        return aggregator.hasIndex();
    }

    int freshSources() {
        return aggregator.freshSources();
    }

    /** Annualised realised volatility in ppm ({@link RealisedVolatility}); 0 until enough samples. */
    long realisedVolatilityPpm() {
        return volatility.annualisedPpm();
    }

    void hashState(StateHasher hasher) {
        hasher.add(spec.toString()).add(instrumentCount);
        for (int i = 0; i < instrumentCount; i++) {
            hasher.add(instruments[i]);
        }
        aggregator.stateHash(hasher);
        guard.hashState(hasher);
        hasher.add(held);
        volatility.hashState(hasher);
    }

    // ------------------------------------------------------------------------------------------------ IndexEvents

    @Override
    public void sourceStale(int sourceId, long sourceTimestamp, long ageNanos) {
        events.priceSourceStale(sequence, timestamp, spec.id(), sourceId, sourceTimestamp, ageNanos);
    }

    @Override
    public void sourceOutlier(int sourceId, long price, long median, long usedPrice, OutlierMode action) {
        events.priceSourceOutlier(sequence, timestamp, spec.id(), sourceId, price, median, usedPrice,
                action == OutlierMode.DROP);
    }

    @Override
    public void indexUpdated(long index, int freshSources) {
        volatility.onIndex(index, timestamp);
        events.indexUpdated(sequence, timestamp, spec.id(), index, freshSources);
    }

    @Override
    public void indexStale(int freshSources, long lastIndex) {
        events.indexStale(sequence, timestamp, spec.id(), freshSources, lastIndex);
    }

    @Override
    public void circuitBreakerLimited(long previous, long proposed, long limited) {
        events.indexCircuitBreaker(sequence, timestamp, spec.id(), previous, proposed, limited);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes the index: its spec, whether the divergence guard holds it, the instruments priced from it (ascending),
     * then the aggregator's, the guard's and the realised volatility's state (section version 2). The command context
     * is set at every recompute and is not written.
     */
    void writeSnapshot(SnapshotWriter out) {
        SpecCodec.writeIndex(out, spec);
        out.writeBoolean(held);
        out.writeCount(instrumentCount);
        for (int i = 0; i < instrumentCount; i++) {
            out.writeCount(instruments[i]);
        }
        aggregator.writeSnapshot(out);
        guard.writeSnapshot(out);
        volatility.writeSnapshot(out);
    }

    /**
     * An index as {@link #writeSnapshot} wrote it, reporting to {@code events}; instrument ids below {@code maxId}. A
     * section of version 1 (before the realised volatility) gives a volatility that starts measuring now.
     */
    static PriceIndex readSnapshot(SnapshotReader in, EngineEvents events, int maxId) {
        PriceIndex index = new PriceIndex(SpecCodec.readIndex(in), events);
        index.held = in.readBoolean();
        int count = in.readCount(1);
        int previous = -1;
        for (int i = 0; i < count; i++) {
            int id = in.readIndex(maxId, "instrument");
            if (id <= previous) {
                throw in.fail("the instruments of index " + index.spec.id() + " are not ascending");
            }
            previous = id;
            index.addInstrument(id);
        }
        index.aggregator.readSnapshot(in);
        index.guard.readSnapshot(in);
        if (in.version() >= 2) {
            index.volatility.readSnapshot(in);
        }
        return index;
    }
}
