package io.meridian.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

/**
 * The compact stream replays exactly what the command objects say: field by field, and through the whole engine (the
 * same state hash and event checksum as replaying the objects); streams it cannot encode keep the objects.
 */
class CommandStreamTest {

    @Test
    void decodesEveryEncodedFieldAsTheObjectHasIt() {
        Command place = new Command().limit(17, 3, 99, Side.SELL, 123_456, 7, TimeInForce.IOC);
        place.postOnly = PostOnly.SLIDE;
        place.reduceOnly = true;
        place.selfTradePrevention = SelfTradePrevention.EXPIRE_BOTH;
        place.clientOrderId = 4242;
        place.sequence = 5;
        place.timestamp = 6;
        Command cancel = new Command().cancel(18, 0, 98);
        Command amend = new Command().amend(19, 1, 97, 0, 3);
        CommandStream stream = CommandStream.of(new Command[] {place, cancel, amend});
        assertTrue(stream.compact());
        for (int i = 0; i < 3; i++) {
            Command original = new Command[] {place, cancel, amend}[i];
            Command decoded = stream.get(i);
            assertEquals(original.toString(), decoded.toString(), "command " + i);
            assertEquals(original.clientOrderId, decoded.clientOrderId);
            assertEquals(original.postOnly, decoded.postOnly);
            assertEquals(original.reduceOnly, decoded.reduceOnly);
            assertEquals(original.selfTradePrevention, decoded.selfTradePrevention);
            assertEquals(original.timeInForce, decoded.timeInForce);
            assertEquals(original.instrument, stream.instrumentAt(i));
            assertEquals(original.orderId, stream.orderIdAt(i));
        }
    }

    @Test
    void aStreamWithAnOrderItCannotEncodeKeepsTheObjects() {
        Command iceberg = new Command().limit(1, 0, 1, Side.BUY, 100, 10, TimeInForce.GTC);
        iceberg.displayQuantity = 2;
        Command plain = new Command().cancel(1, 0, 1);
        CommandStream stream = CommandStream.of(new Command[] {plain, iceberg});
        assertFalse(stream.compact());
        assertEquals(iceberg, stream.get(1));
    }

    /**
     * The stream's loop prefetches (the default; the 16-book workload holds more orders than
     * {@code Engine.PREFETCH_FROM_OPEN_ORDERS}, so it does) and the objects' does not: the same end.
     */
    @Test
    void theEngineEndsInTheSameStateFromTheStreamAsFromTheObjects() {
        for (Workload w : new Workload[] {WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(11, 60_000)),
                PeerShapeGenerator.generate(12, 60_000), WorkloadGenerator.generate(new WorkloadGenerator.Config(13, 16,
                        500, 20_000, 40_000))}) {
            EngineTarget fromStream = new EngineTarget(w);
            fromStream.prepare();
            if (w.instrumentCount() > 1) {
                assertTrue(fromStream.engine().prefetchPays(), w.description());
            }
            fromStream.run(w.stream());
            EngineTarget fromObjects = new EngineTarget(w);
            fromObjects.prepare();
            Engine e = fromObjects.engine();
            for (Command c : w.commands()) {
                e.apply(c);
            }
            assertEquals(fromObjects.engine().stateHash(), fromStream.engine().stateHash(), w.description());
            assertEquals(fromObjects.checksum(), fromStream.checksum(), w.description());
            assertEquals(0, fromStream.rejected(), w.description());
        }
    }
}
