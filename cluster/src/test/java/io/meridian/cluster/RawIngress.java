package io.meridian.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bare cluster client for tests: sends the bytes it is given (no numbering, no resends), so that a test can put
 * duplicates, gaps and malformed messages into the log, and records the acknowledgements that come back.
 */
final class RawIngress implements AutoCloseable {
    /** One acknowledgement: the client sequence it answers, the engine sequence and the status. */
    record Ack(long clientSequence, long engineSequence, int status) {
    }

    private final MediaDriver driver;
    private final AeronCluster cluster;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    final List<Ack> acks = new ArrayList<>();

    RawIngress(String ingressEndpoints, File directory) {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(new File(directory, "raw-driver").getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        cluster = AeronCluster.connect(new AeronCluster.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .ingressChannel("aeron:udp?term-length=4m")
                .ingressEndpoints(ingressEndpoints)
                .egressChannel("aeron:udp?endpoint=localhost:0")
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(10))
                .egressListener(new EgressListener() {
                    @Override
                    public void onMessage(long clusterSessionId, long timestamp, DirectBuffer message, int offset,
                                          int length, Header header) {
                        if (length >= ClusterProtocol.ACK_LENGTH && message.getByte(offset) == ClusterProtocol.ACK) {
                            acks.add(new Ack(
                                    message.getLong(offset + ClusterProtocol.ACK_CLIENT_SEQUENCE_OFFSET,
                                            ClusterProtocol.ORDER),
                                    message.getLong(offset + ClusterProtocol.ACK_ENGINE_SEQUENCE_OFFSET,
                                            ClusterProtocol.ORDER),
                                    message.getInt(offset + ClusterProtocol.ACK_STATUS_OFFSET, ClusterProtocol.ORDER)));
                        }
                    }
                }));
    }

    /** Sends {@code kind | clientId | clientSequence | body} as given. */
    void send(byte kind, long clientId, long clientSequence, byte[] body) {
        buffer.putByte(ClusterProtocol.KIND_OFFSET, kind);
        buffer.putLong(ClusterProtocol.CLIENT_ID_OFFSET, clientId, ClusterProtocol.ORDER);
        buffer.putLong(ClusterProtocol.CLIENT_SEQUENCE_OFFSET, clientSequence, ClusterProtocol.ORDER);
        buffer.putBytes(ClusterProtocol.BODY_OFFSET, body);
        sendBytes(ClusterProtocol.BODY_OFFSET + body.length);
    }

    /** Sends the first {@code length} bytes of {@link #send}'s buffer as they are (a message too short, say). */
    void sendBytes(int length) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (cluster.offer(buffer, 0, length) < 0) {
            assertTrue(System.nanoTime() < deadline, "the raw ingress could not send");
            cluster.pollEgress();
            Thread.onSpinWait();
        }
    }

    /** Polls until {@code count} acknowledgements came (30 s at most). */
    void awaitAcks(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acks.size() < count) {
            assertTrue(System.nanoTime() < deadline, "acknowledgements: " + acks);
            if (cluster.pollEgress() == 0) {
                Thread.sleep(1);
            }
        }
    }

    @Override
    public void close() {
        CloseHelper.quietClose(cluster);
        CloseHelper.quietClose(driver);
    }
}
