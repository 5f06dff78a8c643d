package io.meridian.journal;

/**
 * The bytes given to {@link CommandCodec#decode} are not a command this codec wrote (truncated, corrupted, a future
 * format version, an ordinal out of range, trailing bytes), or a command cannot be encoded (larger than
 * {@link CommandCodec#MAX_PAYLOAD}, a string that is not valid UTF-16). The decoder throws nothing else.
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String reason) {
        super(reason);
    }
}
