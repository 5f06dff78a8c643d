package io.meridian.sbe;

import org.agrona.DirectBuffer;

/**
 * The framing both ends of the binary order entry share (docs/binary-protocol.md, "Framing"): a frame is a 4-byte
 * little-endian length, then that many bytes: the SBE message header and the message. {@link #check} is the one gate
 * before a generated decoder reads a frame: the decoders trust the header's block length and a var field's length, so
 * a frame whose header or lengths do not fit it is refused here, with a reason, and never read. Stateless.
 */
public final class Frames {
    /** The length prefix. */
    public static final int LENGTH_BYTES = 4;
    /** The SBE message header after the prefix. */
    public static final int HEADER_BYTES = MessageHeaderDecoder.ENCODED_LENGTH;
    /** The default and the bounds of a node's {@code binary.maxFrameBytes} (the length, prefix excluded). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 512;
    public static final int MIN_MAX_FRAME_BYTES = 256;
    public static final int MAX_MAX_FRAME_BYTES = 65_536;
    /** The longest var field (its one-byte length). */
    public static final int MAX_TEXT_BYTES = 254;

    private Frames() {
    }

    /**
     * Checks the frame of {@code length} bytes (prefix excluded) at {@code offset}: a header of this schema, a known
     * template, a block at least as long as this version's, and every var field inside the frame.
     *
     * @return null when a decoder may read it, else what is wrong
     */
    public static String check(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER_BYTES) {
            return "frame of " + length + " bytes: shorter than the " + HEADER_BYTES + "-byte message header";
        }
        int blockLength = buffer.getShort(offset, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int templateId = buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int schemaId = buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID) {
            return "schema " + schemaId + ": this is schema " + MessageHeaderDecoder.SCHEMA_ID;
        }
        int minimum = blockLength(templateId);
        if (minimum < 0) {
            return "template " + templateId + ": unknown";
        }
        if (blockLength < minimum) {
            return "template " + templateId + ": block of " + blockLength + " bytes, shorter than its " + minimum;
        }
        int end = offset + length;
        int at = offset + HEADER_BYTES + blockLength;
        if (at > end) {
            return "template " + templateId + ": block of " + blockLength + " bytes does not fit a frame of " + length;
        }
        if (hasText(templateId)) {
            if (at + 1 > end) {
                return "template " + templateId + ": its text's length is missing";
            }
            int text = buffer.getByte(at) & 0xFF;
            if (text > MAX_TEXT_BYTES || at + 1 + text > end) {
                return "template " + templateId + ": a text of " + text + " bytes does not fit the frame";
            }
        }
        return null;
    }

    /** The block length of a template in this version, or -1 for an unknown one. */
    public static int blockLength(int templateId) {
        return switch (templateId) {
            case LogonDecoder.TEMPLATE_ID -> LogonDecoder.BLOCK_LENGTH;
            case LogonAckDecoder.TEMPLATE_ID -> LogonAckDecoder.BLOCK_LENGTH;
            case LogonRejectDecoder.TEMPLATE_ID -> LogonRejectDecoder.BLOCK_LENGTH;
            case NewOrderDecoder.TEMPLATE_ID -> NewOrderDecoder.BLOCK_LENGTH;
            case CancelDecoder.TEMPLATE_ID -> CancelDecoder.BLOCK_LENGTH;
            case CancelByClientIdDecoder.TEMPLATE_ID -> CancelByClientIdDecoder.BLOCK_LENGTH;
            case AmendDecoder.TEMPLATE_ID -> AmendDecoder.BLOCK_LENGTH;
            case CancelAllDecoder.TEMPLATE_ID -> CancelAllDecoder.BLOCK_LENGTH;
            case ExecutionReportDecoder.TEMPLATE_ID -> ExecutionReportDecoder.BLOCK_LENGTH;
            case HeartbeatDecoder.TEMPLATE_ID -> HeartbeatDecoder.BLOCK_LENGTH;
            case ResendRequestDecoder.TEMPLATE_ID -> ResendRequestDecoder.BLOCK_LENGTH;
            case LogoutDecoder.TEMPLATE_ID -> LogoutDecoder.BLOCK_LENGTH;
            case SessionRejectDecoder.TEMPLATE_ID -> SessionRejectDecoder.BLOCK_LENGTH;
            default -> -1;
        };
    }

    /** Whether a template ends with one var text field (each message has at most one). */
    public static boolean hasText(int templateId) {
        return templateId == LogonRejectDecoder.TEMPLATE_ID || templateId == NewOrderDecoder.TEMPLATE_ID
                || templateId == CancelByClientIdDecoder.TEMPLATE_ID || templateId == ExecutionReportDecoder.TEMPLATE_ID
                || templateId == LogoutDecoder.TEMPLATE_ID || templateId == SessionRejectDecoder.TEMPLATE_ID;
    }

    /** The ASCII text of {@code s} cut to {@link #MAX_TEXT_BYTES} (a longer reason is cut, never refused). */
    public static String fit(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT_BYTES));
        for (int i = 0; i < s.length() && out.length() < MAX_TEXT_BYTES; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
