package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FORCED_WITHDRAWAL, the vault's forced request journaled by the operator: it pays out what is free above the margin
 * reserve to the address itself, fills in the amount, serves each request once and in order, serves an address without
 * an account with 0, and a snapshot keeps its place.
 */
class ForcedWithdrawalTest {
    private final EngineFixture fx = EngineFixture.standard();
    private final byte[] alice = address(0xA1);

    private static byte[] address(int fill) {
        byte[] a = new byte[20];
        Arrays.fill(a, (byte) fill);
        return a;
    }

    private Command forced(byte[] address, long ref) {
        Command c = new Command().reset();
        c.type = CommandType.FORCED_WITHDRAWAL;
        c.address = address;
        c.asset = EngineFixture.USDC;
        c.forcedRef = ref;
        return c;
    }

    private long account(byte[] address) {
        return fx.engine.view().accountOfAddress(address);
    }

    @Test
    void paysWhatIsFreeOnceAndInOrder() {
        Command deposit = new Command().deposit(0, EngineFixture.USDC, 10_000 * EngineFixture.USD);
        deposit.address = alice;
        fx.apply(deposit);
        long id = account(alice);
        fx.apply(new Command().deposit(9, EngineFixture.USDC, 1_000_000 * EngineFixture.USD));
        fx.apply(EngineFixture.mark(EngineFixture.BTC, 600_000));
        // A resting bid of 1 BTC at 60,000 reserves its initial margin: the rest is free.
        fx.apply(new Command().limit(id, EngineFixture.BTC, 100, Side.BUY, 600_000, 1_000, TimeInForce.GTC));
        long reserved = fx.engine.view().ledger().balance(id, EngineFixture.USDC)
                - fx.engine.view().marginState(id, EngineFixture.USDC).withdrawable();
        assertTrue(reserved > 0);
        Command first = forced(alice, 1);
        fx.apply(first);
        assertEquals(10_000 * EngineFixture.USD - reserved, first.amount);
        assertArrayEquals(alice, first.destination);
        assertEquals(reserved, fx.engine.view().ledger().balance(id, EngineFixture.USDC));
        fx.apply(forced(alice, 1));
        fx.apply(forced(alice, 3));
        assertEquals(List.of(RejectReason.FORCED_WITHDRAWAL_SERVED, RejectReason.FORCED_WITHDRAWAL_GAP), fx.rejects());
        // Nothing free now: served with 0. An address without an account: served with 0.
        Command second = forced(alice, 2);
        fx.apply(second);
        assertEquals(0, second.amount);
        Command stranger = forced(address(0xB2), 3);
        fx.apply(stranger);
        assertEquals(0, stranger.amount);
        assertEquals(2, fx.rejects().size());

        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshotFormat.write(fx.engine, out);
        byte[] bytes = out.toByteArray();
        Engine restored = EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length), new EventRecorder(false),
                EngineConfig.defaults());
        assertEquals(fx.engine.stateHash(), restored.stateHash());
        Command again = forced(alice, 3);
        again.sequence = fx.engine.lastSequence() + 1;
        again.timestamp = fx.engine.lastTimestamp() + 1;
        assertEquals(RejectReason.FORCED_WITHDRAWAL_SERVED, restored.apply(again).reject());
    }
}
