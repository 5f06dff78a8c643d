package io.meridian.model.snapshot;

/**
 * A snapshot this build cannot load: truncated, damaged, written by a newer build, or holding values that no engine
 * could have had. The message says what and where; nothing was allocated beyond the snapshot's own size.
 */
public final class SnapshotFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
