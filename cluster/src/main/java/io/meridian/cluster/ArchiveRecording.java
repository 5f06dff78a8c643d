package io.meridian.cluster;

import io.aeron.archive.CatalogView;
import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * One recording of an Aeron Archive, read offline straight from the archive directory: its descriptor from the
 * catalog ({@link CatalogView}, which opens the catalog read-only) and its messages from the segment files, which hold
 * the recorded stream's term frames at their stream positions ({@code <recordingId>-<segment base position>.rec},
 * each {@code segmentFileLength} bytes of the stream). Nothing is written: the directory may be a stopped member's or
 * a copy of one.
 *
 * <p>Fragmented messages are reassembled (bounded by the largest message the recorded stream can carry); padding
 * frames are skipped. Segment files are mapped one at a time.
 */
final class ArchiveRecording {
    /** Aeron's stop position of a recording that was never stopped (its archive died while recording). */
    static final long NULL_POSITION = -1;
    private static final String SEGMENT_SUFFIX = ".rec";

    /** A recording's catalog entry: where the stream starts and stops, and how its segment files are cut. */
    record Descriptor(long recordingId, long startPosition, long stopPosition, int termLength, int segmentLength,
                      int streamId, String channel) {
        /** True when the archive stopped the recording (its stop position is known). */
        boolean stopped() {
            return stopPosition != NULL_POSITION;
        }
    }

    /** Receives the recording's messages in order. */
    interface MessageHandler {
        /**
         * One whole message; {@code position} is the stream position just after it (a later read may start there).
         * The buffer is valid only during the call.
         */
        void onMessage(DirectBuffer buffer, int offset, int length, long position);
    }

    /**
     * How a read ended.
     *
     * @param position   the stream position after the last whole message read
     * @param messages   messages delivered
     * @param incomplete bytes of frames read after {@code position} that did not complete a message (a recording
     *                   never stopped, cut inside a fragmented message), 0 normally
     */
    record Read(long position, long messages, long incomplete) {
    }

    private ArchiveRecording() {
    }

    /** The catalog entry of recording {@code recordingId} in {@code archiveDir}, or null when it has none. */
    static Descriptor describe(File archiveDir, long recordingId) {
        Descriptor[] found = new Descriptor[1];
        CatalogView.listRecording(archiveDir, recordingId, (controlSessionId, correlationId, id, startTimestamp,
                stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
                found[0] = new Descriptor(id, startPosition, stopPosition, termBufferLength, segmentFileLength, streamId,
                        strippedChannel));
        return found[0];
    }

    /** The stream position at which the segment file holding {@code position} starts. */
    static long segmentBase(Descriptor recording, long position) {
        return AeronArchive.segmentFileBasePosition(recording.startPosition(), position, recording.termLength(),
                recording.segmentLength());
    }

    /** The segment file that starts at stream position {@code base} (Aeron's name for it). */
    static File segmentFile(File archiveDir, Descriptor recording, long base) {
        return new File(archiveDir, recording.recordingId() + "-" + base + SEGMENT_SUFFIX);
    }

    /**
     * Reads the recording's messages from stream position {@code from} (the start of a message: the recording's start,
     * or a position a message ended at) up to {@code to} (exclusive of any message that would end after it), or, for
     * a recording that was never stopped, up to the last whole frame in its files.
     *
     * @throws IllegalArgumentException when {@code from} lies outside the recording
     * @throws IllegalStateException    when the files contradict the catalog (a segment missing, a frame that is not
     *                                  where its header says, or a message larger than the stream can carry)
     */
    static Read read(File archiveDir, Descriptor recording, long from, long to, MessageHandler handler) {
        long stop = recording.stopped() ? Math.min(to, recording.stopPosition()) : to;
        if (from < recording.startPosition() || (recording.stopped() && from > recording.stopPosition())) {
            throw new IllegalArgumentException("position " + from + " is outside recording " + recording.recordingId()
                    + " (" + recording.startPosition() + ".." + (recording.stopped() ? recording.stopPosition()
                    : "not stopped") + ")");
        }
        int termMask = recording.termLength() - 1;
        int maxMessage = FrameDescriptor.computeMaxMessageLength(recording.termLength());
        ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(1024);
        int assembled = -1;
        long assemblyStart = from;
        long position = from;
        long lastWhole = from;
        long messages = 0;
        UnsafeBuffer segment = new UnsafeBuffer(0, 0);
        while (position < stop) {
            long base = segmentBase(recording, position);
            File file = segmentFile(archiveDir, recording, base);
            if (!file.exists()) {
                if (!recording.stopped()) {
                    break;
                }
                throw new IllegalStateException("segment file " + file.getName() + " of recording "
                        + recording.recordingId() + " is missing (position " + position + ")");
            }
            MappedByteBuffer mapped = map(file, recording.segmentLength());
            try {
                segment.wrap(mapped, 0, mapped.capacity());
                // The segment's whole length, not the file's: a file that ends early ends in a frame that is not whole.
                long segmentEnd = base + recording.segmentLength();
                boolean endOfData = false;
                while (position < stop && position < segmentEnd) {
                    int at = (int) (position - base);
                    int frameLength = at + DataHeaderFlyweight.HEADER_LENGTH <= segment.capacity()
                            ? segment.getInt(at + HeaderFlyweight.FRAME_LENGTH_FIELD_OFFSET) : 0;
                    int type = frameLength > 0 ? segment.getShort(at + HeaderFlyweight.TYPE_FIELD_OFFSET) & 0xFFFF : -1;
                    int aligned = BitUtil.align(Math.max(frameLength, 0), FrameDescriptor.FRAME_ALIGNMENT);
                    boolean whole = frameLength >= DataHeaderFlyweight.HEADER_LENGTH && at + aligned <= segment.capacity()
                            && (type == HeaderFlyweight.HDR_TYPE_DATA || type == HeaderFlyweight.HDR_TYPE_PAD)
                            && segment.getInt(at + DataHeaderFlyweight.TERM_OFFSET_FIELD_OFFSET) == (int) (position & termMask);
                    if (!whole) {
                        if (!recording.stopped()) {
                            endOfData = true;
                            break;
                        }
                        throw new IllegalStateException("recording " + recording.recordingId() + " has no whole frame at"
                                + " position " + position + " (in " + file.getName() + "), before its stop position "
                                + recording.stopPosition());
                    }
                    if (position + aligned > stop) {
                        // A message ending after the bound: not read.
                        endOfData = true;
                        break;
                    }
                    position += aligned;
                    if (type == HeaderFlyweight.HDR_TYPE_PAD) {
                        if (assembled < 0) {
                            lastWhole = position;
                        }
                        continue;
                    }
                    int payload = at + DataHeaderFlyweight.HEADER_LENGTH;
                    int payloadLength = frameLength - DataHeaderFlyweight.HEADER_LENGTH;
                    byte flags = segment.getByte(at + HeaderFlyweight.FLAGS_FIELD_OFFSET);
                    boolean begin = (flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0;
                    boolean end = (flags & FrameDescriptor.END_FRAG_FLAG) != 0;
                    if (begin && end) {
                        assembled = -1;
                        handler.onMessage(segment, payload, payloadLength, position);
                        messages++;
                        lastWhole = position;
                        continue;
                    }
                    if (begin) {
                        assembled = 0;
                        assemblyStart = position - aligned;
                    } else if (assembled < 0) {
                        // A middle or last fragment without its first: only possible where a read starts mid-message.
                        throw new IllegalStateException("recording " + recording.recordingId() + " has a continuation"
                                + " fragment without its first at position " + (position - aligned));
                    }
                    if (assembled + payloadLength > maxMessage) {
                        throw new IllegalStateException("recording " + recording.recordingId() + " has a message of more"
                                + " than " + maxMessage + " bytes at position " + assemblyStart);
                    }
                    assembly.putBytes(assembled, segment, payload, payloadLength);
                    assembled += payloadLength;
                    if (end) {
                        handler.onMessage(assembly, 0, assembled, position);
                        messages++;
                        assembled = -1;
                        lastWhole = position;
                    }
                }
                if (endOfData) {
                    break;
                }
            } finally {
                IoUtil.unmap(mapped);
            }
        }
        return new Read(lastWhole, messages, position - lastWhole);
    }

    private static MappedByteBuffer map(File file, int segmentLength) {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            long size = Math.min(channel.size(), segmentLength);
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
