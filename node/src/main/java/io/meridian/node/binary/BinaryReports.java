package io.meridian.node.binary;

import io.meridian.model.CancelReason;
import io.meridian.model.EngineEvents;
import io.meridian.model.Liquidity;
import io.meridian.model.Side;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.Frames;
import io.meridian.sbe.RequestKind;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * The binary sessions' order events (docs/binary-protocol.md, "Execution reports"): on the engine thread it hears
 * every account's order events ({@link io.meridian.node.EngineLoop#orderEvents}) and, for an account with binary
 * sessions, encodes a FILL, CANCELED, EXPIRED or AMENDED report into each of them (connected or waiting for a
 * reconnect). Acceptance is the request's answer, not an event here. Engine thread only, including {@link #add} and
 * {@link #remove} (called from a Logon's engine answer).
 */
final class BinaryReports implements EngineEvents {
    private static final BinarySession[] NONE = new BinarySession[0];
    /** Each cancel reason's report text, made once: a market maker's session hears a cancel report per cancel. */
    private static final String[] CANCEL_TEXT = Arrays.stream(CancelReason.values()).map(r -> Frames.fit(r.name()))
            .toArray(String[]::new);
    /** By account id without boxing: every order event of every account looks its account up here. */
    private final Long2ObjectHashMap<BinarySession[]> byAccount = new Long2ObjectHashMap<>();

    /** Engine thread: {@code session} reports {@code account}'s order events from now on. */
    void add(long account, BinarySession session) {
        BinarySession[] now = byAccount.get(account);
        if (now == null) {
            now = NONE;
        }
        for (BinarySession s : now) {
            if (s == session) {
                return;
            }
        }
        BinarySession[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = session;
        byAccount.put(account, next);
    }

    /** Engine thread: {@code session} (dropped or replaced) hears nothing more. */
    void remove(BinarySession session) {
        byAccount.replaceAll((account, sessions) -> Arrays.stream(sessions).filter(s -> s != session)
                .toArray(BinarySession[]::new));
        byAccount.values().removeIf(sessions -> sessions.length == 0);
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        BinarySession[] to = byAccount.get(account);
        if (to == null) {
            return;
        }
        for (BinarySession s : to) {
            s.report(0, RequestKind.NONE, ExecType.FILL, sequence, timestamp, orderId, clientOrderId, tradeId,
                    instrument, price, quantity, remaining, 0, side, liquidity, null);
            s.scheduleAtBatchEnd();
        }
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, CancelReason reason) {
        BinarySession[] to = byAccount.get(account);
        if (to == null) {
            return;
        }
        for (BinarySession s : to) {
            s.report(0, RequestKind.NONE, ExecType.CANCELED, sequence, timestamp, orderId, clientOrderId, 0, instrument,
                    0, canceledQuantity, 0, 0, null, null, CANCEL_TEXT[reason.ordinal()]);
            s.scheduleAtBatchEnd();
        }
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        BinarySession[] to = byAccount.get(account);
        if (to == null) {
            return;
        }
        for (BinarySession s : to) {
            s.report(0, RequestKind.NONE, ExecType.EXPIRED, sequence, timestamp, orderId, clientOrderId, 0, instrument,
                    0, expiredQuantity, 0, 0, null, null, null);
            s.scheduleAtBatchEnd();
        }
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        BinarySession[] to = byAccount.get(account);
        if (to == null) {
            return;
        }
        for (BinarySession s : to) {
            s.report(0, RequestKind.NONE, ExecType.AMENDED, sequence, timestamp, orderId, clientOrderId, 0, instrument,
                    price, quantity, remaining, 0, null, null, null);
            s.scheduleAtBatchEnd();
        }
    }
}
