package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.node.binary.BinarySettings;
import io.meridian.sbe.BooleanType;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.ExecutionReportDecoder;
import io.meridian.sbe.Frames;
import io.meridian.sbe.LogonAckDecoder;
import io.meridian.sbe.LogonEncoder;
import io.meridian.sbe.LogonRejectDecoder;
import io.meridian.sbe.MessageHeaderDecoder;
import io.meridian.sbe.MessageHeaderEncoder;
import io.meridian.sbe.NewOrderEncoder;
import io.meridian.sbe.RequestKind;
import io.meridian.sbe.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary order entry against a real node (auth mode signed, group commit): a market maker logs on with its owner
 * key, places, amends, cancels (by id and by client order id text) and hears its fills; drops its connection, misses
 * fills while away, reconnects and gets exactly the missed reports resent, and its request queued while away is
 * executed once. A raw connection then resends an old sequence number (ignored: not executed twice), and resumes from
 * an impossible point (refused with 462).
 */
class BinaryOrderEntryTest {
    private static final long TIMEOUT = 10;
    @TempDir
    Path temp;

    private NodeConfig config() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536, true,
                d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed())
                .withBinary(BinarySettings.on(0));
    }

    /** Collects every report a session hears, in order. */
    private static final class Reports implements BinaryOrderEntry.Listener {
        final List<BinaryOrderEntry.Report> all = new CopyOnWriteArrayList<>();

        @Override
        public void onReport(BinaryOrderEntry.Report report) {
            all.add(report);
        }

        BinaryOrderEntry.Report await(ExecType type, long orderId) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
            while (System.nanoTime() < end) {
                for (BinaryOrderEntry.Report r : all) {
                    if (r.execType() == type && r.orderId() == orderId) {
                        return r;
                    }
                }
                Thread.sleep(5);
            }
            throw new AssertionError("no " + type + " report for order " + orderId + " in " + all);
        }
    }

    @Test
    void placesAmendsCancelsHearsFillsAndResumesAfterADrop() throws Exception {
        long seed = 20261207L;
        System.out.println("BinaryOrderEntryTest seed=" + seed);
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        Secp256k1PrivateKey makerKey = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey takerKey = Secp256k1PrivateKey.random(random);
        try (Node node = Node.start(config())) {
            MeridianClient anonymous = new MeridianClient("http://127.0.0.1:" + node.httpPort());
            anonymous.devDeposit(makerKey.address(), 0, "100000");
            anonymous.devDeposit(takerKey.address(), 0, "100000");
            Signer maker = Signer.owner(makerKey, anonymous.domain());
            MeridianClient taker = anonymous.signedBy(Signer.owner(takerKey, anonymous.domain()));
            Reports reports = new Reports();
            long validUntil = System.currentTimeMillis() + 3_600_000;
            BinaryOrderEntry entry = BinaryOrderEntry.connect("127.0.0.1", node.binaryPort(), reports);
            BinaryOrderEntry.Logon logon = entry.logon(maker, validUntil).get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(1, logon.nextClientSeqNum());
            assertEquals(0, logon.lastServerSeqNum());
            assertTrue(logon.account() > 0 && logon.sessionId() > 0, logon.toString());

            // BTC-PERP: tick 0.1, lot 0.001. A resting ask of 0.5 at 50010.0.
            BinaryOrderEntry.Report placed = entry.place(BinaryOrderEntry.Order.limit(1, Side.SELL, 500_100, 500)
                    .clientOrderId(7)).get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(ExecType.ACCEPTED, placed.execType());
            assertEquals(RequestKind.NEW_ORDER, placed.requestKind());
            assertEquals(1, placed.clientSeqNum());
            assertEquals(7, placed.clientOrderId());
            assertEquals(500, placed.leavesQuantity());
            assertTrue(placed.engineSequence() > 0);
            long orderId = placed.orderId();

            // A taker over REST: the maker's fill arrives as a report with the engine's sequence and trade id.
            taker.place(MeridianClient.Order.limit(0, 1, "buy", "50010", "0.2"));
            BinaryOrderEntry.Report fill = reports.await(ExecType.FILL, orderId);
            assertEquals(200, fill.quantity());
            assertEquals(300, fill.leavesQuantity());
            assertEquals(500_100, fill.price());
            assertEquals(io.meridian.sbe.Liquidity.MAKER, fill.liquidity());
            assertTrue(fill.tradeId() > 0 && fill.engineSequence() > placed.engineSequence());

            BinaryOrderEntry.Report amended = entry.amend(1, orderId, 500_200, 0, 0).get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(ExecType.ACCEPTED, amended.execType());
            assertEquals(500_200, reports.await(ExecType.AMENDED, orderId).price());

            BinaryOrderEntry.Report texted = entry.place(BinaryOrderEntry.Order.limit(1, Side.BUY, 499_000, 10)
                    .clientOrderText("mm-bid-1")).get(TIMEOUT, TimeUnit.SECONDS);
            BinaryOrderEntry.Report canceled = entry.cancelByClientOrderId(1, 0, "mm-bid-1")
                    .get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(texted.orderId(), canceled.orderId());
            assertEquals(10, reports.await(ExecType.CANCELED, texted.orderId()).quantity());

            // Rejects carry a code and a message: the gateway's (460) and the engine's (its reject code).
            ExecutionException unknown = assertThrows(ExecutionException.class, () -> entry.place(
                    BinaryOrderEntry.Order.limit(99, Side.BUY, 1, 1)).get(TIMEOUT, TimeUnit.SECONDS));
            assertEquals(460, ((ApiException) unknown.getCause()).code(), unknown.getCause().getMessage());
            ExecutionException noPrice = assertThrows(ExecutionException.class, () -> entry.place(
                    BinaryOrderEntry.Order.limit(1, Side.BUY, 0, 1)).get(TIMEOUT, TimeUnit.SECONDS));
            assertTrue(noPrice.getCause().getMessage().contains("price: required"), noPrice.getCause().getMessage());
            ExecutionException unknownOrder = assertThrows(ExecutionException.class,
                    () -> entry.cancel(1, 999_999_999L).get(TIMEOUT, TimeUnit.SECONDS));
            assertTrue(((ApiException) unknownOrder.getCause()).code() > 1000, unknownOrder.getCause().getMessage());
            // An amend past the instrument's limits gets the engine's reject; it once threw out of the engine's thread
            // (the margin check's arithmetic ran before the book's checks), which stopped the venue at that command.
            ExecutionException huge = assertThrows(ExecutionException.class,
                    () -> entry.amend(1, orderId, 0, Long.MAX_VALUE, 0).get(TIMEOUT, TimeUnit.SECONDS));
            assertEquals(io.meridian.model.RejectReason.QUANTITY_ABOVE_MAX.code(),
                    ((ApiException) huge.getCause()).code(), huge.getCause().getMessage());

            // The connection drops. While away: two fills on the resting ask, and an order the client queues.
            entry.disconnect();
            long seenBefore = entry.lastServerSeq();
            taker.place(MeridianClient.Order.limit(0, 1, "buy", "50020", "0.1"));
            taker.place(MeridianClient.Order.limit(0, 1, "buy", "50020", "0.05"));
            var queued = entry.place(BinaryOrderEntry.Order.limit(1, Side.BUY, 498_000, 3).clientOrderId(8));
            Thread.sleep(200);
            assertEquals(seenBefore, entry.lastServerSeq(), "nothing arrives while disconnected");

            entry.connect();
            BinaryOrderEntry.Logon resumed = entry.logon(maker, validUntil).get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(seenBefore + 2, resumed.lastServerSeqNum(), "the two fills were reported while away");
            BinaryOrderEntry.Report queuedAnswer = queued.get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(ExecType.ACCEPTED, queuedAnswer.execType());
            long fillsAfterDrop = reports.all.stream().filter(r -> r.seqNum() > seenBefore
                    && r.execType() == ExecType.FILL && r.orderId() == orderId).count();
            assertEquals(2, fillsAfterDrop, "the missed fills were resent, once each: " + reports.all);
            for (int i = 1; i < reports.all.size(); i++) {
                assertEquals(reports.all.get(i - 1).seqNum() + 1, reports.all.get(i).seqNum(), "no gap, no repeat");
            }

            duplicateAfterReconnectIsNotExecuted(node, entry, maker, validUntil, anonymous, makerKey);
        }
    }

    /**
     * A raw connection resumes the session (the old one is replaced) and sends a NewOrder with a sequence number already
     * taken: it is not executed (no report, no order); the next number is. A resume from ahead of the server is refused.
     */
    private static void duplicateAfterReconnectIsNotExecuted(Node node, BinaryOrderEntry entry, Signer maker,
                                                             long validUntil, MeridianClient anonymous,
                                                             Secp256k1PrivateKey makerKey) throws Exception {
        long last = entry.lastServerSeq();
        long next = entry.nextClientSeq();
        int openBefore = anonymous.signedBy(maker).openOrders(makerKey.address()).size();
        try (Socket raw = new Socket("127.0.0.1", node.binaryPort())) {
            raw.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(raw.getInputStream());
            raw.getOutputStream().write(logon(maker, validUntil, last, false));
            UnsafeBuffer ack = read(in);
            assertEquals(LogonAckDecoder.TEMPLATE_ID, template(ack));
            LogonAckDecoder decoded = new LogonAckDecoder().wrap(ack, MessageHeaderDecoder.ENCODED_LENGTH,
                    LogonAckDecoder.BLOCK_LENGTH, LogonAckDecoder.SCHEMA_VERSION);
            assertEquals(next, decoded.nextClientSeqNum());
            // A resend of request next - 1 (the order placed while away): a duplicate, ignored.
            raw.getOutputStream().write(newOrder(next - 1, 8, 498_000));
            raw.getOutputStream().write(newOrder(next, 9, 497_000));
            UnsafeBuffer answer = read(in);
            while (template(answer) != ExecutionReportDecoder.TEMPLATE_ID) {
                answer = read(in);
            }
            ExecutionReportDecoder report = new ExecutionReportDecoder().wrap(answer,
                    MessageHeaderDecoder.ENCODED_LENGTH, ExecutionReportDecoder.BLOCK_LENGTH,
                    ExecutionReportDecoder.SCHEMA_VERSION);
            assertEquals(next, report.clientSeqNum(), "the first report answers the new request, not the duplicate");
            assertEquals(ExecType.ACCEPTED, report.execType());
            assertEquals(9, report.clientOrderId());
            // A ResendRequest from that report: it comes again, with its number.
            long seqNum = report.seqNum();
            UnsafeBuffer resend = new UnsafeBuffer(new byte[64]);
            io.meridian.sbe.ResendRequestEncoder r = new io.meridian.sbe.ResendRequestEncoder().wrapAndApplyHeader(
                    resend, Frames.LENGTH_BYTES, new MessageHeaderEncoder()).fromSeqNum(seqNum);
            raw.getOutputStream().write(frame(resend, r.encodedLength()));
            UnsafeBuffer again = read(in);
            while (template(again) != ExecutionReportDecoder.TEMPLATE_ID) {
                again = read(in);
            }
            assertEquals(seqNum, new ExecutionReportDecoder().wrap(again, MessageHeaderDecoder.ENCODED_LENGTH,
                    ExecutionReportDecoder.BLOCK_LENGTH, ExecutionReportDecoder.SCHEMA_VERSION).seqNum());
        }
        JsonNode open = anonymous.signedBy(maker).openOrders(makerKey.address());
        assertEquals(openBefore + 1, open.size(), "only the new order rests: " + open);
        try (Socket raw = new Socket("127.0.0.1", node.binaryPort())) {
            raw.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(raw.getInputStream());
            raw.getOutputStream().write(logon(maker, validUntil, last + 1_000, false));
            UnsafeBuffer reject = read(in);
            assertEquals(LogonRejectDecoder.TEMPLATE_ID, template(reject));
            LogonRejectDecoder decoded = new LogonRejectDecoder().wrap(reject, MessageHeaderDecoder.ENCODED_LENGTH,
                    LogonRejectDecoder.BLOCK_LENGTH, LogonRejectDecoder.SCHEMA_VERSION);
            assertEquals(462, decoded.code());
            String text = decoded.text();
            assertTrue(text.contains("ahead"), text);
        }
    }

    private static byte[] logon(Signer signer, long validUntil, long lastSeen, boolean reset) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = validUntil;
        Command signed = signer.sign(c);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        LogonEncoder e = new LogonEncoder().wrapAndApplyHeader(buffer, Frames.LENGTH_BYTES, new MessageHeaderEncoder())
                .validUntil(validUntil).nonce(signed.nonce).lastServerSeqNum(lastSeen)
                .resetSequences(reset ? BooleanType.TRUE : BooleanType.FALSE).hasAgentKey(BooleanType.FALSE);
        for (int i = 0; i < 20; i++) {
            e.address(i, (short) (signed.address[i] & 0xFF));
        }
        for (int i = 0; i < 65; i++) {
            e.signature(i, (short) (signed.signature[i] & 0xFF));
        }
        return frame(buffer, e.encodedLength());
    }

    private static byte[] newOrder(long seq, long clientOrderId, long price) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        NewOrderEncoder e = new NewOrderEncoder().wrapAndApplyHeader(buffer, Frames.LENGTH_BYTES,
                new MessageHeaderEncoder()).seqNum(seq).clientOrderId(clientOrderId).instrument(1).price(price)
                .quantity(1).side(Side.BUY).ordType(io.meridian.sbe.OrdType.LIMIT)
                .timeInForce(io.meridian.sbe.TimeInForce.GTC).postOnly(io.meridian.sbe.PostOnly.NONE)
                .reduceOnly(BooleanType.FALSE).triggerSource(io.meridian.sbe.TriggerSource.LAST)
                .selfTradePrevention(io.meridian.sbe.SelfTradePrevention.NONE).clientOrderText("");
        return frame(buffer, e.encodedLength());
    }

    private static byte[] frame(UnsafeBuffer buffer, int encodedLength) {
        int length = MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        buffer.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[Frames.LENGTH_BYTES + length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static UnsafeBuffer read(DataInputStream in) throws IOException {
        int length = Integer.reverseBytes(in.readInt());
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new UnsafeBuffer(bytes);
    }

    private static int template(UnsafeBuffer frame) {
        return frame.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
