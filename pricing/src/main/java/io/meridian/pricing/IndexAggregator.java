package io.meridian.pricing;

import io.meridian.model.FixedPoint;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

/**
 * Aggregates price reports from several named sources of one asset into an index price: the weighted median of the
 * fresh sources, with stale sources, outliers, a minimum source count, a confidence check and a circuit breaker.
 *
 * <p><b>Contract.</b> Pure, deterministic and single-threaded: time is an input (every method takes the command
 * timestamp {@code now} in nanoseconds), nothing reads a clock. Prices are positive longs in a scale the caller
 * chooses (e.g. units of 1e-8); no floating point anywhere. Garbage-free after construction: every array is
 * preallocated to {@link AggregatorConfig#maxSources()} and the events carry primitives only.
 *
 * <p><b>Algorithm of {@link #recompute}.</b>
 * <ol>
 *   <li>Fresh set: every registered source with an accepted report and a positive weight whose report is not older
 *       than the staleness limit ({@code now - sourceTimestamp <= stalenessNanos}). Each older one: sourceStale.</li>
 *   <li>Fewer fresh sources than the minimum: indexStale; the last index stays in force but is marked stale.</li>
 *   <li>Raw median {@code m0} = weighted median of the fresh prices (below). Band {@code b = floor(m0 x band/1e6)}.
 *       A price with {@code |p - m0| > b} is an outlier: CLAMP moves it to {@code m0 +- b} (it still counts),
 *       DROP removes it (it no longer counts; too few left is indexStale). Each outlier: sourceOutlier.</li>
 *   <li>Index candidate = weighted median of the adjusted set.</li>
 *   <li>Circuit breaker (from the second published index on), per second of command time: with
 *       {@code e = min(now - allowanceSince, maxMoveAccrual)} and
 *       {@code L = floor(previous x maxMovePpmPerSecond x e / (1e6 x 1e9))}, a candidate beyond
 *       {@code previous +- L} is limited to that edge: circuitBreakerLimited. {@code allowanceSince} is the time of
 *       the previous published index, except after a limited step: then only the time the step used up is spent
 *       ({@code ceil(|move| x 1e15 / (previous x rate))} ns) and the remainder, less than one price unit's worth at
 *       both the old and the new index, carries over, so rounding cannot freeze an index that is recomputed very
 *       often. A published index within
 *       the allowance spends it all ({@code allowanceSince = now}): unused allowance never accumulates, and the
 *       cap bounds what a long silence or stale spell can add. Hence the move between any two published indexes
 *       at times s < t is at most {@code maxPrice x rate x (t - s) / 1e15} plus the remainder carried into the span
 *       (less than one price unit at the index published at s), however many recomputes happened between them
 *       ({@code maxPrice}: the largest published index in between).</li>
 *   <li>indexUpdated(index, freshSources).</li>
 * </ol>
 *
 * <p><b>Weighted median, tie rule and rounding.</b> Sort the set by price ascending (ties by source id; equal prices
 * give the same value whatever their order). With total weight {@code W} and running weight {@code C(k)} of the
 * first k+1 entries, take the first k with {@code 2 C(k) >= W}. If {@code 2 C(k) > W} (or k is the last entry),
 * the median is {@code p(k)}; if {@code 2 C(k) == W} exactly (the weight splits evenly between two prices) it is
 * the midpoint {@code floor((p(k) + p(k+1)) / 2)}, rounded down. With equal weights this is the ordinary median:
 * the middle price for an odd count, the floor of the mean of the two middle prices for an even count. The result
 * always lies between the smallest and the largest price of the set, so a single bad source among five cannot move
 * it beyond the range of the four honest ones.
 *
 * <p>Note that clamping leaves a median unchanged except when the median is a midpoint; what CLAMP adds over
 * ignoring outliers is the event, and that a clamped source still counts towards the minimum.
 */
public final class IndexAggregator {
    /** Pass as the confidence of a report that has none. */
    public static final long NO_CONFIDENCE = -1;

    private final AggregatorConfig config;
    private final IndexEvents events;
    private final int capacity;

    private final boolean[] registered;
    private final String[] names;
    private final long[] weights;
    private final boolean[] hasReport;
    private final long[] prices;
    private final long[] confidences;
    private final long[] sourceTimestamps;

    private final int[] selectedIds;
    private final long[] selectedPrices;
    private final long[] selectedWeights;

    private int registeredCount;
    private long index;
    private boolean hasIndex;
    private boolean stale = true;
    private int freshSources;
    /** Start of the circuit breaker's unused allowance (command time, ns); see the class comment. */
    private long allowanceSince;
    /** The last recompute's median after the outlier step, before the circuit breaker: where the sources are. */
    private long lastCandidate;
    /** Sources found outliers (clamped or dropped) at the last recompute that got past the minimum count. */
    private int outliers;
    /** The reported prices of the last recompute's outliers (the first {@link #outliers} entries). */
    private final long[] outlierPrices;

    public IndexAggregator(AggregatorConfig config, IndexEvents events) {
        if (config == null) {
            throw new IllegalArgumentException("config is required");
        }
        this.config = config;
        this.events = events == null ? IndexEvents.NONE : events;
        this.capacity = config.maxSources();
        registered = new boolean[capacity];
        names = new String[capacity];
        weights = new long[capacity];
        hasReport = new boolean[capacity];
        prices = new long[capacity];
        confidences = new long[capacity];
        sourceTimestamps = new long[capacity];
        selectedIds = new int[capacity];
        selectedPrices = new long[capacity];
        selectedWeights = new long[capacity];
        outlierPrices = new long[capacity];
    }

    /**
     * Registers a source under a small id (0 .. maxSources - 1) with its weight from the config. A configuration
     * step, not a command: a bad id, a duplicate or a missing name throws {@link IllegalArgumentException}.
     */
    public void registerSource(int sourceId, String name) {
        if (sourceId < 0 || sourceId >= capacity) {
            throw new IllegalArgumentException("source id must be 0 .. " + (capacity - 1) + ": " + sourceId);
        }
        if (registered[sourceId]) {
            throw new IllegalArgumentException("source " + sourceId + " is already registered as " + names[sourceId]);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("source name is required");
        }
        registered[sourceId] = true;
        names[sourceId] = name;
        weights[sourceId] = config.weightOf(sourceId);
        registeredCount++;
    }

    /**
     * Accepts or rejects one price report. Checks, in this order: {@link ReportReject#UNKNOWN_SOURCE},
     * {@link ReportReject#NON_POSITIVE_PRICE}, {@link ReportReject#CONFIDENCE_TOO_WIDE} (confidence above
     * {@code floor(price x maxConfidence / 1e6)}; a negative confidence means "none" and passes),
     * {@link ReportReject#FUTURE_TIMESTAMP} ({@code sourceTimestamp > now}), {@link ReportReject#OUT_OF_ORDER}
     * ({@code sourceTimestamp} earlier than the source's last accepted report; an equal timestamp replaces it).
     * An accepted report replaces the source's previous one; the index changes only at {@link #recompute}.
     *
     * @return null when accepted, else the reason; a rejected report changes nothing
     */
    public ReportReject report(int sourceId, long price, long confidence, long sourceTimestamp, long now) {
        if (sourceId < 0 || sourceId >= capacity || !registered[sourceId]) {
            return ReportReject.UNKNOWN_SOURCE;
        }
        if (price <= 0) {
            return ReportReject.NON_POSITIVE_PRICE;
        }
        if (confidence >= 0 && config.maxConfidencePpm() > 0
                && confidence > FixedPoint.mulDivFloor(price, config.maxConfidencePpm(), FixedPoint.PPM)) {
            return ReportReject.CONFIDENCE_TOO_WIDE;
        }
        if (sourceTimestamp > now) {
            return ReportReject.FUTURE_TIMESTAMP;
        }
        if (hasReport[sourceId] && sourceTimestamp < sourceTimestamps[sourceId]) {
            return ReportReject.OUT_OF_ORDER;
        }
        hasReport[sourceId] = true;
        prices[sourceId] = price;
        confidences[sourceId] = confidence < 0 ? NO_CONFIDENCE : confidence;
        sourceTimestamps[sourceId] = sourceTimestamp;
        return null;
    }

    /**
     * Recomputes the index at {@code now}, emitting every decision to the listener (see the class comment).
     *
     * @return true when a new index was published, false when the index is stale
     */
    public boolean recompute(long now) {
        int n = 0;
        for (int id = 0; id < capacity; id++) {
            if (!registered[id] || !hasReport[id] || weights[id] == 0) {
                continue;
            }
            long age = now - sourceTimestamps[id];
            if (age > config.stalenessNanos()) {
                events.sourceStale(id, sourceTimestamps[id], age);
                continue;
            }
            selectedIds[n] = id;
            selectedPrices[n] = prices[id];
            selectedWeights[n] = weights[id];
            n++;
        }
        if (n < config.minFreshSources()) {
            return markStale(n);
        }
        outliers = 0;
        sort(n);
        long candidate = weightedMedian(n);
        if (config.outlierBandPpm() > 0) {
            long median = candidate;
            long band = FixedPoint.mulDivFloor(median, config.outlierBandPpm(), FixedPoint.PPM);
            long high = median + band;
            long low = median - band;
            boolean clamp = config.outlierMode() == OutlierMode.CLAMP;
            int kept = 0;
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                long p = selectedPrices[i];
                if (p > high || p < low) {
                    changed = true;
                    outlierPrices[outliers++] = p;
                    long edge = p > high ? high : low;
                    events.sourceOutlier(selectedIds[i], p, median, clamp ? edge : 0, config.outlierMode());
                    if (!clamp) {
                        continue;
                    }
                    p = edge;
                }
                selectedIds[kept] = selectedIds[i];
                selectedPrices[kept] = p;
                selectedWeights[kept] = selectedWeights[i];
                kept++;
            }
            n = kept;
            if (n < config.minFreshSources()) {
                return markStale(n);
            }
            if (changed) {
                sort(n);
                candidate = weightedMedian(n);
            }
        }
        lastCandidate = candidate;
        if (hasIndex && config.maxMovePpmPerSecond() > 0) {
            candidate = limitMove(candidate, now);
        } else {
            allowanceSince = now;
        }
        index = candidate;
        hasIndex = true;
        stale = false;
        freshSources = n;
        events.indexUpdated(index, n);
        return true;
    }

    /** The circuit breaker: the candidate limited to the allowance for the time since it was last spent. */
    private long limitMove(long candidate, long now) {
        long rate = config.maxMovePpmPerSecond();
        long elapsed = Math.min(Math.max(0, now - allowanceSince), config.maxMoveAccrualNanos());
        long scale = FixedPoint.PPM * AggregatorConfig.NANOS_PER_SECOND;
        // rate < 1e6 and elapsed <= 3.6e12, so rate x elapsed < 3.6e18 fits a long; the product with the index is 128-bit.
        long limit = FixedPoint.mulDivFloor(index, rate * elapsed, scale);
        long move = candidate - index;
        if (Math.abs(move) <= limit) {
            allowanceSince = now;
            return candidate;
        }
        long limited = move > 0 ? index + limit : index - limit;
        // Spend only the time this step used; the remainder (less than one price unit's worth) carries over.
        // ceil(ceil(limit x scale / index) / rate) = ceil(limit x scale / (index x rate)), without overflow.
        long used = Math.min(elapsed, ceilDiv(FixedPoint.mulDivCeil(limit, scale, index), rate));
        // The remainder is worth less than one price unit at the old index; keep it so at the new one as well (an
        // upward step would otherwise make it worth more): at most one unit's time at the new index, less 1 ns.
        long unitTime = ceilDiv(ceilDiv(scale, limited), rate);
        allowanceSince = now - Math.min(elapsed - used, unitTime - 1);
        events.circuitBreakerLimited(index, candidate, limited);
        return limited;
    }

    /** ceil(a / b) for a >= 0, b > 0. */
    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    private boolean markStale(int fresh) {
        stale = true;
        freshSources = fresh;
        events.indexStale(fresh, hasIndex ? index : 0);
        return false;
    }

    /** Stable insertion sort of the selection by price: ties keep ascending source id. At most a few dozen items. */
    private void sort(int n) {
        for (int i = 1; i < n; i++) {
            long p = selectedPrices[i];
            long w = selectedWeights[i];
            int id = selectedIds[i];
            int j = i - 1;
            while (j >= 0 && selectedPrices[j] > p) {
                selectedPrices[j + 1] = selectedPrices[j];
                selectedWeights[j + 1] = selectedWeights[j];
                selectedIds[j + 1] = selectedIds[j];
                j--;
            }
            selectedPrices[j + 1] = p;
            selectedWeights[j + 1] = w;
            selectedIds[j + 1] = id;
        }
    }

    /** Weighted median of the sorted selection, n >= 1: see the class comment for the tie rule and rounding. */
    private long weightedMedian(int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += selectedWeights[i];
        }
        long running = 0;
        for (int i = 0; i < n; i++) {
            running += selectedWeights[i];
            long twice = 2 * running;
            if (twice > total) {
                return selectedPrices[i];
            }
            if (twice == total) {
                // An exact half can only happen before the last entry, since every weight is positive.
                long a = selectedPrices[i];
                long b = selectedPrices[i + 1];
                return a + (b - a) / 2;
            }
        }
        return selectedPrices[n - 1];
    }

    /** The last published index, or 0 before the first one. Check {@link #isStale()} before using it. */
    public long index() {
        return index;
    }

    /** Whether any index was ever published. */
    public boolean hasIndex() {
        return hasIndex;
    }

    /** True before the first index and whenever the last recompute found too few fresh sources. */
    public boolean isStale() {
        return stale;
    }

    /**
     * Sources that were outliers (clamped or dropped) at the last recompute that reached the outlier step: a sign
     * that the sources disagree by more than the outlier band.
     */
    public int outliers() {
        return outliers;
    }

    /**
     * The smallest distance from {@code reference} to a price reported by one of the last recompute's outliers;
     * {@link Long#MAX_VALUE} when there was none. The divergence guard uses it to tell which side of a disagreement
     * stayed where the index was ({@link DivergenceGuard#checkAndDecideHold}).
     */
    public long nearestOutlierDistance(long reference) {
        long nearest = Long.MAX_VALUE;
        for (int i = 0; i < outliers; i++) {
            nearest = Math.min(nearest, Math.abs(outlierPrices[i] - reference));
        }
        return nearest;
    }

    /**
     * The last published recompute's median after the outlier step and before the circuit breaker: where the sources
     * say the price is, which the breaker may not have let the index reach yet.
     */
    public long candidate() {
        return lastCandidate;
    }

    /**
     * The caller holds the index (the divergence guard): the published index goes back to {@code heldIndex}, the
     * value before this recompute, and the breaker's allowance is spent, so the index does not walk toward a price the
     * venue refuses to use and cannot jump when the hold ends. Call right after a {@link #recompute} that published.
     */
    public void holdAt(long heldIndex, long now) {
        index = heldIndex;
        allowanceSince = now;
    }

    /** Fresh (counted) sources at the last recompute. */
    public int freshSources() {
        return freshSources;
    }

    public boolean isRegistered(int sourceId) {
        return sourceId >= 0 && sourceId < capacity && registered[sourceId];
    }

    public int registeredSources() {
        return registeredCount;
    }

    /** The source's name, or null when not registered. */
    public String sourceName(int sourceId) {
        return isRegistered(sourceId) ? names[sourceId] : null;
    }

    /** The source's last accepted price, or 0 when it has none. */
    public long lastPrice(int sourceId) {
        return isRegistered(sourceId) && hasReport[sourceId] ? prices[sourceId] : 0;
    }

    public AggregatorConfig config() {
        return config;
    }

    /**
     * Feeds the state in this fixed order: index, hasIndex, stale, freshSources, allowanceSince, outliers, then for
     * each registered source in ascending id: id, name, weight, hasReport, and when it has a report its price,
     * confidence and timestamp.
     * The configuration is not hashed (it is an input of the node, not state).
     */
    public StateHasher stateHash(StateHasher hasher) {
        hasher.add(index).add(hasIndex).add(stale).add(freshSources).add(allowanceSince).add(outliers)
                .add(lastCandidate);
        for (int i = 0; i < outliers; i++) {
            hasher.add(outlierPrices[i]);
        }
        for (int id = 0; id < capacity; id++) {
            if (!registered[id]) {
                continue;
            }
            hasher.add(id).add(names[id]).add(weights[id]).add(hasReport[id]);
            if (hasReport[id]) {
                hasher.add(prices[id]).add(confidences[id]).add(sourceTimestamps[id]);
            }
        }
        return hasher;
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes the aggregator's state (the configuration and registered sources are the owner's to rebuild): the index,
     * its flags, fresh sources, the breaker's allowance start, the last candidate, the last outliers' prices, and per
     * source its last accepted report (whether it has one, price, confidence, timestamp).
     */
    public void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(index);
        out.writeBoolean(hasIndex);
        out.writeBoolean(stale);
        out.writeVarInt(freshSources);
        out.writeVarLong(allowanceSince);
        out.writeVarLong(lastCandidate);
        out.writeCount(outliers);
        for (int i = 0; i < outliers; i++) {
            out.writeVarLong(outlierPrices[i]);
        }
        out.writeCount(capacity);
        for (int id = 0; id < capacity; id++) {
            out.writeBoolean(hasReport[id]);
            if (hasReport[id]) {
                out.writeVarLong(prices[id]);
                out.writeVarLong(confidences[id]);
                out.writeVarLong(sourceTimestamps[id]);
            }
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into an aggregator made with the same configuration and sources.
     * Refuses another source count, and reports of unregistered sources.
     */
    public void readSnapshot(SnapshotReader in) {
        index = in.readVarLong();
        hasIndex = in.readBoolean();
        stale = in.readBoolean();
        freshSources = in.readVarInt();
        allowanceSince = in.readVarLong();
        lastCandidate = in.readVarLong();
        int outlierCount = in.readIndex(capacity + 1, "outlier count");
        for (int i = 0; i < outlierCount; i++) {
            outlierPrices[i] = in.readVarLong();
        }
        outliers = outlierCount;
        int sources = in.readCount(1);
        if (sources != capacity) {
            throw in.fail("the index has " + sources + " sources written, " + capacity + " configured");
        }
        for (int id = 0; id < capacity; id++) {
            hasReport[id] = in.readBoolean();
            if (hasReport[id]) {
                if (!registered[id]) {
                    throw in.fail("source " + id + " has a report but is not registered");
                }
                prices[id] = in.readVarLong();
                confidences[id] = in.readVarLong();
                sourceTimestamps[id] = in.readVarLong();
            }
        }
    }
}
