package io.meridian.node.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the FIX acceptor counts for {@code /metrics} (docs/operations.md, "Metrics", the {@code meridian_fix_} names):
 * logons accepted and refused, logouts, the messages its sessions pass in and out (administrative and application),
 * resend requests each way, and the rejects it sends by kind. Written on the FIX sessions' threads and its sender
 * thread with a {@link LongAdder} increment (no lock, no allocation); read only when scraped. The sessions logged on now
 * are a gauge over the acceptor's own table ({@link NodeMetrics#bindFix}). Labels are fixed enums.
 */
public final class FixMeters {
    /** A message's direction, as labelled. */
    public enum Direction {
        IN("in"), OUT("out");

        final String label;

        Direction(String label) {
            this.label = label;
        }
    }

    /** A FIX reject the acceptor sends, as labelled. */
    public enum Reject {
        /** A session-level Reject (3): a message that failed validation. */
        SESSION("session"),
        /** A BusinessMessageReject (j): an application message type the acceptor does not take. */
        BUSINESS("business"),
        /** An ExecutionReport with ExecType REJECTED (8): an order refused, by the gateway or the engine. */
        ORDER("order"),
        /** An OrderCancelReject (9): a cancel or replace refused, by the gateway or the engine. */
        CANCEL("cancel");

        final String label;

        Reject(String label) {
            this.label = label;
        }
    }

    private final LongAdder logons = new LongAdder();
    private final LongAdder logonsRefused = new LongAdder();
    private final LongAdder logouts = new LongAdder();
    /** By direction, then administrative (0) or application (1). */
    private final LongAdder[][] messages = {{new LongAdder(), new LongAdder()}, {new LongAdder(), new LongAdder()}};
    private final LongAdder[] resendRequests = {new LongAdder(), new LongAdder()};
    private final LongAdder[] rejects = new LongAdder[Reject.values().length];

    FixMeters() {
        java.util.Arrays.setAll(rejects, i -> new LongAdder());
    }

    /** A session logged on (its Logon accepted and answered). */
    public void logon() {
        logons.increment();
    }

    /** A Logon refused (its Logout sent with the reason), whoever refused it: the gateway or the engine. */
    public void logonRefused() {
        logonsRefused.increment();
    }

    /** A logged-on session ended: a Logout either way, or its connection lost. */
    public void logout() {
        logouts.increment();
    }

    /** A message passed in or out; {@code admin} for the session level's (Logon, Heartbeat, ResendRequest, ...). */
    public void message(Direction direction, boolean admin) {
        messages[direction.ordinal()][admin ? 0 : 1].increment();
    }

    /** A ResendRequest (2) received from a client ({@code IN}) or sent to one ({@code OUT}). */
    public void resendRequest(Direction direction) {
        resendRequests[direction.ordinal()].increment();
    }

    /** A reject of {@code kind} sent. */
    public void reject(Reject kind) {
        rejects[kind.ordinal()].increment();
    }

    long logons() {
        return logons.sum();
    }

    long logonsRefused() {
        return logonsRefused.sum();
    }

    long logouts() {
        return logouts.sum();
    }

    long messages(Direction direction, boolean admin) {
        return messages[direction.ordinal()][admin ? 0 : 1].sum();
    }

    long resendRequests(Direction direction) {
        return resendRequests[direction.ordinal()].sum();
    }

    long rejects(Reject kind) {
        return rejects[kind.ordinal()].sum();
    }
}
