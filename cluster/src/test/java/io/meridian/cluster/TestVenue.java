package io.meridian.cluster;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;

import java.util.function.Consumer;

/** The venue the cluster tests trade on: USDC (id 0) and BTC-PERP (id 1, no price band) marked at 50,000. */
final class TestVenue {
    private TestVenue() {
    }

    /** Sends the three listing commands, in order, through {@code send} (which may keep or reuse the command). */
    static void list(Consumer<Command> send) {
        Command c = new Command().reset();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = new AssetSpec(0, "USDC", 6);
        send.accept(c);
        c.reset();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001").withPriceBandPpm(0);
        send.accept(c);
        c.reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = 1;
        c.price = 500_000;
        send.accept(c);
    }
}
