package io.meridian.pricing;

import java.util.ArrayList;
import java.util.List;

/** Test listener: records every event as a readable line. */
final class RecordingEvents implements IndexEvents {
    final List<String> events = new ArrayList<>();

    @Override
    public void sourceStale(int sourceId, long sourceTimestamp, long ageNanos) {
        events.add("stale " + sourceId + " age=" + ageNanos);
    }

    @Override
    public void sourceOutlier(int sourceId, long price, long median, long usedPrice, OutlierMode action) {
        events.add("outlier " + sourceId + " " + price + " median=" + median + " used=" + usedPrice + " " + action);
    }

    @Override
    public void indexUpdated(long index, int freshSources) {
        events.add("index " + index + " fresh=" + freshSources);
    }

    @Override
    public void indexStale(int freshSources, long lastIndex) {
        events.add("indexStale fresh=" + freshSources + " last=" + lastIndex);
    }

    @Override
    public void circuitBreakerLimited(long previous, long proposed, long limited) {
        events.add("breaker " + previous + " " + proposed + " -> " + limited);
    }

    String last() {
        return events.get(events.size() - 1);
    }
}
