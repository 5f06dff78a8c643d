package io.meridian.node.access;

import io.meridian.engine.Engine;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;

/**
 * A real engine with one asset and one perpetual, driven on an explicit wall clock, with an {@link AuthMirror} kept up
 * to date after every command as the engine loop does; remembers why the last command was refused.
 */
final class MirrorVenue implements EngineEvents {
    static final int USDC = 1;
    static final int BTC = 1;
    static final long USD = 1_000_000L;
    /** 2026-12-01T00:00:00Z in epoch milliseconds. */
    static final long START_MS = 1_796_083_200_000L;
    final Engine engine = new Engine(this);
    final AuthMirror mirror = new AuthMirror();
    long sequence;
    long millis = START_MS;
    RejectReason lastReject;

    MirrorVenue() {
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        apply(instrument);
        mirror.load(engine);
    }

    RejectReason apply(Command c) {
        lastReject = null;
        c.sequence = ++sequence;
        c.timestamp = millis * 1_000_000L;
        if (c.type == CommandType.PLACE_ORDER) {
            c.orderId = c.sequence;
        }
        engine.apply(c);
        mirror.afterCommand(engine, c);
        return lastReject;
    }

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                long clientOrderId, long account, RejectReason reason) {
        lastReject = reason;
    }
}
