package io.meridian.auth;

/**
 * Outcome of a check: ok, or a reject reason with a message that says what exactly was wrong. Immutable.
 *
 * @param reason  null when ok
 * @param message a human-readable explanation; empty when ok
 */
public record Verdict(AuthReject reason, String message) {

    private static final Verdict OK = new Verdict(null, "");

    /** The shared ok verdict. */
    public static Verdict ok() {
        return OK;
    }

    /** A reject with its specific message. */
    public static Verdict reject(AuthReject reason, String message) {
        if (reason == null) {
            throw new IllegalArgumentException("a reject needs a reason");
        }
        return new Verdict(reason, message);
    }

    public boolean isOk() {
        return reason == null;
    }

    @Override
    public String toString() {
        return isOk() ? "OK" : reason + " (" + reason.code() + "): " + message;
    }
}
