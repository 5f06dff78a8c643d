package io.meridian.cluster;

import io.meridian.engine.EngineConfig;
import io.meridian.journal.CommandCodec;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's log rules without a cluster: each client's messages are applied once and in order; duplicates,
 * gaps and malformed bodies are not applied; timestamps come from the log and never go backwards; checkpoints.
 */
class EngineClusteredServiceTest {
    @TempDir
    Path dir;

    private final CommandCodec codec = new CommandCodec();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();

    private int message(byte kind, long client, long sequence, Command command) {
        buffer.putByte(ClusterProtocol.KIND_OFFSET, kind);
        buffer.putLong(ClusterProtocol.CLIENT_ID_OFFSET, client, ClusterProtocol.ORDER);
        buffer.putLong(ClusterProtocol.CLIENT_SEQUENCE_OFFSET, sequence, ClusterProtocol.ORDER);
        return ClusterProtocol.BODY_OFFSET + (command == null ? 0
                : codec.encode(command, buffer, ClusterProtocol.BODY_OFFSET, CommandCodec.MAX_PAYLOAD));
    }

    private static Command addAsset() {
        Command c = new Command().reset();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = new AssetSpec(0, "USDC", 6);
        return c;
    }

    @Test
    void eachClientMessageIsAppliedOnceAndInOrder() throws IOException {
        EngineClusteredService service = new EngineClusteredService(EngineConfig.defaults(), dir);
        service.onStart(null, null);
        service.onSessionMessage(null, 1_000, buffer, 0, message(ClusterProtocol.COMMAND, 7, 1, addAsset()), null);
        assertEquals(1, service.engine().lastSequence());
        // A resend of message 1: a duplicate, not applied again.
        service.onSessionMessage(null, 2_000, buffer, 0, message(ClusterProtocol.COMMAND, 7, 1, addAsset()), null);
        assertEquals(1, service.engine().lastSequence());
        // Message 3 before 2: out of order, not applied and not consumed.
        Command deposit = new Command().deposit(1, 0, 5_000_000);
        service.onSessionMessage(null, 3_000, buffer, 0, message(ClusterProtocol.COMMAND, 7, 3, deposit), null);
        assertEquals(1, service.engine().lastSequence());
        service.onSessionMessage(null, 4_000, buffer, 0, message(ClusterProtocol.COMMAND, 7, 2, deposit), null);
        service.onSessionMessage(null, 5_000, buffer, 0, message(ClusterProtocol.COMMAND, 7, 3, deposit), null);
        assertEquals(3, service.engine().lastSequence());
        assertEquals(10_000_000, service.engine().view().ledger().balance(1, 0));
        // Another client has its own numbering.
        service.onSessionMessage(null, 6_000, buffer, 0, message(ClusterProtocol.COMMAND, 8, 1, deposit), null);
        assertEquals(4, service.engine().lastSequence());
        // A log timestamp earlier than the engine's is held at the engine's.
        service.onSessionMessage(null, 10, buffer, 0, message(ClusterProtocol.COMMAND, 8, 2, deposit), null);
        assertEquals(6_000, service.engine().lastTimestamp());

        // Malformed body: consumes the sequence, applies nothing.
        int length = message(ClusterProtocol.COMMAND, 8, 3, null);
        buffer.putByte(length, (byte) 99);
        service.onSessionMessage(null, 7_000, buffer, 0, length + 1, null);
        assertEquals(5, service.engine().lastSequence());
        service.onSessionMessage(null, 8_000, buffer, 0, message(ClusterProtocol.COMMAND, 8, 4, deposit), null);
        assertEquals(6, service.engine().lastSequence());
        // Too short to carry a client id: ignored.
        service.onSessionMessage(null, 9_000, buffer, 0, 5, null);
        assertEquals(6, service.engine().lastSequence());

        int checkpoint = message(ClusterProtocol.CHECKPOINT, 8, 5, null);
        buffer.putLong(checkpoint, 11, ClusterProtocol.ORDER);
        service.onSessionMessage(null, 10_000, buffer, 0, checkpoint + Long.BYTES, null);
        String text = Files.readString(dir.resolve("checkpoint-11.txt"));
        assertTrue(text.startsWith("sequence=6 state_hash="), text);
        assertTrue(Files.readString(dir.resolve("started.txt")).startsWith("from_snapshot=false"));
    }

    /**
     * Offline (a replay of a member's log, {@link ClusterExport}): the same decisions, each command handed on as the
     * engine gets it (an order without an id carries its sequence), ticks from the log's timer events with no cluster
     * to schedule the next, checkpoints reported and no status files written.
     */
    @Test
    void offlineTheServiceHandsOnEachCommandAsTheEngineGetsIt() throws IOException {
        List<Command> sequenced = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        EngineClusteredService service = EngineClusteredService.offline(EngineConfig.defaults(),
                new EngineClusteredService.Sequenced() {
                    @Override
                    public void onSequenced(Command command) {
                        sequenced.add(new Command().copyFrom(command));
                    }

                    @Override
                    public void onCheckpoint(long id) {
                        checkpoints.add(id);
                    }
                });
        service.startOffline(null);
        service.onNewLeadershipTermEvent(0, 0, 500, 0, 0, 1, TimeUnit.NANOSECONDS, 0);
        service.onSessionMessage(null, 1_000, buffer, 0, message(ClusterProtocol.COMMAND, 7, 1, addAsset()), null);
        service.onSessionMessage(null, 1_100, buffer, 0, message(ClusterProtocol.COMMAND, 7, 1, addAsset()), null);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001");
        service.onSessionMessage(null, 1_200, buffer, 0, message(ClusterProtocol.COMMAND, 7, 2, instrument), null);
        service.onSessionMessage(null, 1_300, buffer, 0, message(ClusterProtocol.COMMAND, 7, 3,
                new Command().deposit(1, 0, 5_000_000_000L)), null);
        service.onTimerEvent(EngineClusteredService.TICK_TIMER, 1_250);
        service.onTimerEvent(EngineClusteredService.TICK_TIMER + 1, 1_400);
        service.onSessionMessage(null, 1_500, buffer, 0, message(ClusterProtocol.COMMAND, 7, 5,
                new Command().limit(1, 1, 0, Side.BUY, 100, 1, TimeInForce.GTC)), null);
        service.onSessionMessage(null, 1_600, buffer, 0, message(ClusterProtocol.COMMAND, 7, 4,
                new Command().limit(1, 1, 0, Side.BUY, 100, 1, TimeInForce.GTC)), null);
        int checkpoint = message(ClusterProtocol.CHECKPOINT, 7, 5, null);
        buffer.putLong(checkpoint, 12, ClusterProtocol.ORDER);
        service.onSessionMessage(null, 1_700, buffer, 0, checkpoint + Long.BYTES, null);

        assertEquals(List.of(CommandType.ADD_ASSET, CommandType.ADD_INSTRUMENT, CommandType.DEPOSIT,
                CommandType.TIME_TICK, CommandType.PLACE_ORDER), sequenced.stream().map(c -> c.type).toList());
        for (int i = 0; i < sequenced.size(); i++) {
            assertEquals(i + 1, sequenced.get(i).sequence);
        }
        assertEquals(1_300, sequenced.get(3).timestamp, "a tick's time is held at the engine's");
        assertEquals(5, sequenced.get(4).orderId, "an order without an id gets its sequence, as the engine applies it");
        assertEquals(5, service.engine().lastSequence());
        assertEquals(List.of(12L), checkpoints);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "no status files offline");
        }
    }
}
