package io.meridian.journal;

/**
 * What opening (or inspecting) a journal found.
 *
 * @param firstSequence sequence of the first record, or of the first segment when it is empty; 0 for no segments
 * @param lastSequence  the last intact record's sequence ("last good sequence"); {@code firstSequence - 1} when there
 *                      are no records, 0 for an empty directory
 * @param lastTimestamp the last intact record's timestamp; {@link Long#MIN_VALUE} when there are no records
 * @param records       intact records
 * @param segments      segment files, after any whole-segment tail was removed
 * @param tornTail      the torn tail found after the last intact record, or null
 * @param repaired      true when the torn tail was cut off (recovery), false when only reported (inspection)
 */
public record RecoveryReport(long firstSequence, long lastSequence, long lastTimestamp, long records, int segments,
                             TornTail tornTail, boolean repaired) {

    /** Bytes the torn tail held: cut off by recovery, or skipped by an inspection. */
    public long truncatedBytes() {
        return tornTail == null ? 0 : tornTail.length();
    }

    public boolean hasTornTail() {
        return tornTail != null;
    }

    @Override
    public String toString() {
        String tail = tornTail == null ? "no torn tail"
                : (repaired ? "truncated " : "torn tail of ") + tornTail.length() + " byte(s) at offset "
                + tornTail.offset() + " of " + tornTail.segment().getFileName()
                + (tornTail.wholeSegment() ? " (whole segment)" : "") + " (" + tornTail.cause() + ")";
        return records + " record(s) in " + segments + " segment(s), sequences " + firstSequence + ".." + lastSequence
                + ", " + tail;
    }
}
