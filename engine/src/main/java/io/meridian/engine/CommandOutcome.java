package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;

/**
 * What one {@link Engine#apply} did, returned by it: accepted or rejected (with the reason), a resend answered from
 * the engine's idempotency records ({@link #duplicate()}), and for the command's own order (PLACE_ORDER, AMEND_ORDER,
 * CANCEL_ORDER) its id, the quantity it filled and what is left open; also whether any order was canceled and how
 * many liquidation actions (liquidation fills, insurance-fund takeovers, backstop transfers, auto-deleveraging) the
 * command set off.
 *
 * <p><b>Reuse.</b> The engine owns one instance and refills it on every {@code apply}: a host reads it before the next
 * command, or keeps a {@link #copy()}. Garbage-free. Engine thread.
 */
public final class CommandOutcome {
    private long sequence;
    private long timestamp;
    private CommandType type;
    private RejectReason reject;
    private boolean duplicate;
    private long account;
    private long orderId;
    private long clientOrderId;
    private long filledQuantity;
    private long restingQuantity;
    private boolean canceled;
    private int liquidations;
    private long originalSequence;

    /** Starts the outcome of {@code c}: accepted, nothing filled, until its events say otherwise. */
    void begin(Command c) {
        sequence = c.sequence;
        timestamp = c.timestamp;
        type = c.type;
        reject = null;
        duplicate = false;
        account = c.account;
        orderId = c.orderId;
        clientOrderId = c.clientOrderId;
        filledQuantity = 0;
        restingQuantity = 0;
        canceled = false;
        liquidations = 0;
    }

    /** After authorisation: the account the command acts for (an address resolves to its account). */
    void account(long resolved) {
        account = resolved;
    }

    /** A resend: the original order's outcome, from {@link RecentOrders}. */
    void duplicateOf(long account, long clientOrderId, long orderId, long sequence, RejectReason reject, long filled,
                     long resting, boolean canceled) {
        this.duplicate = true;
        this.account = account;
        this.clientOrderId = clientOrderId;
        this.orderId = orderId;
        this.reject = reject;
        this.filledQuantity = filled;
        this.restingQuantity = resting;
        this.canceled = canceled;
        this.originalSequence = sequence;
    }

    void rejected(RejectReason reason) {
        if (reject == null) {
            reject = reason;
        }
    }

    void orderAccepted(long id, long quantity) {
        if (id == orderId && id != 0) {
            restingQuantity = quantity;
        }
    }

    void orderFilled(long id, long quantity, long remaining) {
        if (id == orderId && id != 0) {
            filledQuantity += quantity;
            restingQuantity = remaining;
        }
    }

    void orderCanceled(long id, long canceledClientOrderId, long canceledAccount) {
        canceled = true;
        if (orderId == 0 && type == CommandType.CANCEL_ORDER && canceledAccount == account
                && canceledClientOrderId == clientOrderId) {
            orderId = id;
        }
        if (id == orderId && id != 0) {
            restingQuantity = 0;
        }
    }

    void liquidation() {
        liquidations++;
    }

    public long sequence() {
        return sequence;
    }

    public long timestamp() {
        return timestamp;
    }

    public CommandType type() {
        return type;
    }

    /** True when the command was applied (or, for a resend, when the original was). */
    public boolean accepted() {
        return reject == null;
    }

    /** Why the command was refused, or null when it was accepted. */
    public RejectReason reject() {
        return reject;
    }

    /**
     * True for a PLACE_ORDER whose account and client order id an earlier order already used: nothing was applied and
     * this outcome is the original's ({@link #originalSequence()} is its sequence).
     */
    public boolean duplicate() {
        return duplicate;
    }

    /** For a {@link #duplicate()}, the sequence of the original order; else this command's sequence. */
    public long originalSequence() {
        return duplicate ? originalSequence : sequence;
    }

    /** The account the command acted for (resolved from its address when signed by one). */
    public long account() {
        return account;
    }

    /** The command's own order: the id it placed, amended or canceled; 0 when none. */
    public long orderId() {
        return orderId;
    }

    public long clientOrderId() {
        return clientOrderId;
    }

    /** Lots the command's own order filled in this command (for a placement, its taker fills). */
    public long filledQuantity() {
        return filledQuantity;
    }

    /** Lots of the command's own order left open after it (resting, or waiting for its trigger). */
    public long restingQuantity() {
        return restingQuantity;
    }

    /** True when the command canceled any order (its own remainder, a cancel, a cancel-all, a liquidation's cancel). */
    public boolean canceled() {
        return canceled;
    }

    /** Liquidation actions the command set off: liquidation fills, fund takeovers, backstop transfers, ADL. */
    public int liquidations() {
        return liquidations;
    }

    /** A copy that the engine will not overwrite. */
    public CommandOutcome copy() {
        CommandOutcome copy = new CommandOutcome();
        copy.sequence = sequence;
        copy.timestamp = timestamp;
        copy.type = type;
        copy.reject = reject;
        copy.duplicate = duplicate;
        copy.originalSequence = originalSequence;
        copy.account = account;
        copy.orderId = orderId;
        copy.clientOrderId = clientOrderId;
        copy.filledQuantity = filledQuantity;
        copy.restingQuantity = restingQuantity;
        copy.canceled = canceled;
        copy.liquidations = liquidations;
        return copy;
    }

    @Override
    public String toString() {
        return "CommandOutcome{sequence=" + sequence + ", type=" + type + ", reject=" + reject + ", duplicate="
                + duplicate + ", account=" + account + ", orderId=" + orderId + ", clientOrderId=" + clientOrderId
                + ", filled=" + filledQuantity + ", resting=" + restingQuantity + ", canceled=" + canceled
                + ", liquidations=" + liquidations + "}";
    }
}
