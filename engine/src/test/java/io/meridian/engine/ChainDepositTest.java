package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.RejectReason;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.event.EventRecorder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deposits from the settlement vault carry the vault's deposit id: each is credited exactly once and in the vault's
 * order (a repeat and a jump are refused, a refused one is not consumed), and a snapshot keeps the position.
 */
class ChainDepositTest {
    private final EngineFixture fx = EngineFixture.standard();

    private Command chainDeposit(long account, int asset, long amount, long depositId) {
        Command c = new Command().deposit(account, asset, amount);
        c.chainDepositId = depositId;
        return c;
    }

    private long balance(long account) {
        return fx.engine.view().ledger().balance(account, EngineFixture.USDC);
    }

    @Test
    void eachChainDepositIsCreditedOnceAndInOrder() {
        fx.apply(chainDeposit(1, EngineFixture.USDC, 100, 1));
        fx.apply(chainDeposit(1, EngineFixture.USDC, 100, 1));
        fx.apply(chainDeposit(2, EngineFixture.USDC, 50, 3));
        assertEquals(List.of(RejectReason.CHAIN_DEPOSIT_CREDITED, RejectReason.CHAIN_DEPOSIT_GAP), fx.rejects());
        assertEquals(100, balance(1));
        // A refused chain deposit (an asset the venue lacks) is not consumed: the next one waits for it.
        fx.apply(chainDeposit(2, 77, 50, 2));
        fx.apply(chainDeposit(2, EngineFixture.USDC, 50, 3));
        assertEquals(RejectReason.CHAIN_DEPOSIT_GAP, fx.rejects().get(fx.rejects().size() - 1));
        fx.apply(chainDeposit(2, EngineFixture.USDC, 50, 2));
        fx.apply(chainDeposit(2, EngineFixture.USDC, 70, 3));
        assertEquals(120, balance(2));
        // Deposits without an id (the operator's, the dev route's) are untouched by the sequence.
        fx.apply(new Command().deposit(1, EngineFixture.USDC, 5));
        assertEquals(105, balance(1));
    }

    @Test
    void aSnapshotKeepsTheLastCreditedDeposit() {
        fx.apply(chainDeposit(1, EngineFixture.USDC, 100, 1));
        fx.apply(chainDeposit(1, EngineFixture.USDC, 100, 2));
        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshotFormat.write(fx.engine, out);
        byte[] bytes = out.toByteArray();
        EventRecorder recorder = new EventRecorder(false);
        Engine restored = EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length), recorder,
                EngineConfig.defaults());
        assertEquals(fx.engine.stateHash(), restored.stateHash());
        Command repeat = chainDeposit(1, EngineFixture.USDC, 100, 2);
        repeat.sequence = fx.engine.lastSequence() + 1;
        repeat.timestamp = fx.engine.lastTimestamp() + 1;
        assertEquals(RejectReason.CHAIN_DEPOSIT_CREDITED, restored.apply(repeat).reject());
    }
}
