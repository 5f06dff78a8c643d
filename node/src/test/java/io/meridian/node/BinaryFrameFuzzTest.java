package io.meridian.node;

import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.node.binary.BinarySettings;
import io.meridian.sbe.BooleanType;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.ExecutionReportDecoder;
import io.meridian.sbe.Frames;
import io.meridian.sbe.LogonAckDecoder;
import io.meridian.sbe.LogonEncoder;
import io.meridian.sbe.LogonRejectDecoder;
import io.meridian.sbe.LogoutDecoder;
import io.meridian.sbe.MessageHeaderDecoder;
import io.meridian.sbe.MessageHeaderEncoder;
import io.meridian.sbe.NewOrderEncoder;
import io.meridian.sbe.SessionRejectDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the binary order entry's frame decoder over real connections to a real node (seeded; the seed is printed):
 * random bytes, oversized and negative lengths, truncated frames, and mutations of valid frames (header, block length,
 * template, text length, body bytes) before and after a Logon. Every answer must be a clean one of the protocol (a
 * LogonReject, Logout or SessionReject with a node code, or an execution report), never a node fault (code 500); an
 * oversized frame is refused from its length, before any of its body is buffered; and the node still takes a valid
 * Logon and order at the end.
 */
class BinaryFrameFuzzTest extends NodeHttpTest {
    /** The codes a refusal may carry here (docs/binary-protocol.md, "Rejects"), besides the engine's (1000 and up). */
    private static final Set<Integer> CODES = Set.of(0, 429, 460, 461, 462, 464, 465, 466, 467, 503, 8001, 8002, 8003,
            8004, 8005, 8006, 8007, 8008, 8009, 8010, 8011, 8012, 8013, 8014);

    private final List<String> answers = new ArrayList<>();
    /** The Logons' nonces: from the clock in milliseconds, one up each (the engine refuses a reused one). */
    private long nonce = System.currentTimeMillis();

    @Test
    void malformedFramesGetARejectOrACloseNeverAFault() throws Exception {
        long seed = 2026_1207_3L;
        System.out.println("BinaryFrameFuzzTest seed=" + seed);
        Random random = new Random(seed);
        SecureRandom keys = SecureRandom.getInstance("SHA1PRNG");
        keys.setSeed(seed);
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(keys);
        NodeConfig config = config().withBinary(new BinarySettings(0, 512, null, 500, 2_000L, null, 1024, null));
        try (Node node = Node.start(config)) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + owner.address().toChecksumHex() + "\",\"asset\":0,"
                    + "\"amount\":\"100000\"}");
            int port = node.binaryPort();
            for (int i = 0; i < 120; i++) {
                try (Socket s = socket(port)) {
                    s.getOutputStream().write(garbage(random));
                    drain(s, 300);
                }
            }
            // A connection that never logs on is refused when the login timeout (2 s here) passes.
            try (Socket s = socket(port)) {
                String answer = drain(s, 4_000);
                assertTrue(answer.contains("LogonReject 464"), answer);
            }
            // An oversized length is refused from the prefix alone: the 1 GiB the frame claims is never awaited.
            try (Socket s = socket(port)) {
                s.getOutputStream().write(new byte[] {0, 0, 0, 0x40, 1, 2, 3});
                String answer = drain(s, 3_000);
                assertTrue(answer.contains("Logout 465"), answer);
            }
            Socket s = logon(port, owner, true);
            long seq = 1;
            for (int i = 0; i < 1_500; i++) {
                byte[] frame = mutate(newOrder(seq, random), random);
                UnsafeBuffer body = new UnsafeBuffer(frame, Frames.LENGTH_BYTES, frame.length - Frames.LENGTH_BYTES);
                int length = new UnsafeBuffer(frame).getInt(0, ByteOrder.LITTLE_ENDIAN);
                boolean whole = length == frame.length - Frames.LENGTH_BYTES;
                boolean request = whole && Frames.check(body, 0, length) == null
                        && (body.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) >= 4
                        && (body.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) <= 8;
                if (request) {
                    body.putLong(MessageHeaderDecoder.ENCODED_LENGTH, seq++, ByteOrder.LITTLE_ENDIAN);
                }
                s.getOutputStream().write(frame);
                String answer = drain(s, whole ? 5 : 300);
                if (!whole || answer.contains("Logout") || answer.contains("closed")) {
                    s.close();
                    s = logon(port, owner, true);
                    seq = 1;
                }
            }
            s.close();
            java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
            answers.forEach(a -> kinds.merge(a.split(" ").length > 1 ? a.split(" ")[0] + " " + a.split(" ")[1] : a, 1L,
                    Long::sum));
            System.out.println("BinaryFrameFuzzTest answers: " + kinds);
            assertTrue(kinds.keySet().stream().anyMatch(k -> k.startsWith("SessionReject 466")), kinds.toString());
            assertTrue(kinds.keySet().stream().anyMatch(k -> k.startsWith("ExecutionReport")), kinds.toString());
            for (String answer : answers) {
                assertTrue(!answer.contains(" 500"), "a node fault: " + answer);
            }
            // Still healthy: a fresh session places an order.
            try (Socket last = logon(port, owner, true)) {
                last.getOutputStream().write(newOrder(1, new Random(1)));
                String answer = "";
                for (int i = 0; i < 50 && !answer.contains("ExecutionReport"); i++) {
                    answer += drain(last, 100);
                }
                assertTrue(answer.contains("ExecutionReport"), answer);
            }
            assertEquals(200, get("/health").statusCode());
        }
    }

    private static Socket socket(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(50);
        return s;
    }

    /** Random bytes, or a valid header over a random body, a huge, negative or short length, or a cut frame. */
    private static byte[] garbage(Random random) {
        int kind = random.nextInt(5);
        int n = random.nextInt(200);
        byte[] bytes = new byte[Frames.LENGTH_BYTES + n];
        random.nextBytes(bytes);
        UnsafeBuffer b = new UnsafeBuffer(bytes);
        switch (kind) {
            case 0 -> b.putInt(0, n, ByteOrder.LITTLE_ENDIAN);
            case 1 -> b.putInt(0, n + random.nextInt(100), ByteOrder.LITTLE_ENDIAN);
            case 2 -> b.putInt(0, -1 - random.nextInt(1000), ByteOrder.LITTLE_ENDIAN);
            case 3 -> {
                b.putInt(0, n, ByteOrder.LITTLE_ENDIAN);
                if (n >= 8) {
                    b.putShort(4 + 2, (short) (1 + random.nextInt(14)), ByteOrder.LITTLE_ENDIAN);
                    b.putShort(4 + 4, (short) MessageHeaderEncoder.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
                }
            }
            default -> {
                // Random length and bytes.
            }
        }
        return bytes;
    }

    /** A frame with one to four random changes: a byte anywhere (header and lengths included), or a cut. */
    private static byte[] mutate(byte[] frame, Random random) {
        byte[] copy = frame.clone();
        int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes; i++) {
            if (random.nextInt(10) == 0) {
                return java.util.Arrays.copyOf(copy, Frames.LENGTH_BYTES + random.nextInt(copy.length
                        - Frames.LENGTH_BYTES));
            }
            int at = Frames.LENGTH_BYTES + random.nextInt(copy.length - Frames.LENGTH_BYTES);
            copy[at] = (byte) random.nextInt(256);
        }
        if (random.nextInt(20) == 0) {
            new UnsafeBuffer(copy).putInt(0, random.nextInt(100_000), ByteOrder.LITTLE_ENDIAN);
        }
        return copy;
    }

    private static byte[] newOrder(long seq, Random random) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        NewOrderEncoder e = new NewOrderEncoder().wrapAndApplyHeader(buffer, Frames.LENGTH_BYTES,
                new MessageHeaderEncoder()).seqNum(seq).clientOrderId(0).instrument(1)
                .price(400_000 + random.nextInt(1000)).quantity(1 + random.nextInt(5))
                .side(io.meridian.sbe.Side.BUY).ordType(io.meridian.sbe.OrdType.LIMIT)
                .timeInForce(io.meridian.sbe.TimeInForce.GTC).postOnly(io.meridian.sbe.PostOnly.NONE)
                .reduceOnly(BooleanType.FALSE).triggerSource(io.meridian.sbe.TriggerSource.LAST)
                .selfTradePrevention(io.meridian.sbe.SelfTradePrevention.NONE)
                .clientOrderText(random.nextBoolean() ? "" : "fz-" + random.nextInt(1000));
        return frame(buffer, e.encodedLength());
    }

    private Socket logon(int port, Secp256k1PrivateKey owner, boolean reset) throws IOException {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = System.currentTimeMillis() + 3_600_000L;
        c.nonce = ++nonce;
        SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), owner);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        LogonEncoder e = new LogonEncoder().wrapAndApplyHeader(buffer, Frames.LENGTH_BYTES, new MessageHeaderEncoder())
                .validUntil(c.validUntil).nonce(c.nonce).lastServerSeqNum(0)
                .resetSequences(reset ? BooleanType.TRUE : BooleanType.FALSE).hasAgentKey(BooleanType.FALSE);
        byte[] address = owner.address().toBytes();
        for (int i = 0; i < 20; i++) {
            e.address(i, (short) (address[i] & 0xFF));
        }
        for (int i = 0; i < 65; i++) {
            e.signature(i, (short) (c.signature[i] & 0xFF));
        }
        Socket s = socket(port);
        s.getOutputStream().write(frame(buffer, e.encodedLength()));
        String answer = "";
        for (int i = 0; i < 100 && !answer.contains("LogonAck") && !answer.contains("closed"); i++) {
            answer += drain(s, 50);
        }
        assertTrue(answer.contains("LogonAck"), answer);
        return s;
    }

    private static byte[] frame(UnsafeBuffer buffer, int encodedLength) {
        int length = MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        buffer.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[Frames.LENGTH_BYTES + length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Reads what the node sends within {@code millis} (or until it closes): each frame named and its code checked.
     */
    private String drain(Socket s, long millis) throws IOException {
        StringBuilder seen = new StringBuilder();
        long end = System.currentTimeMillis() + millis;
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (System.currentTimeMillis() < end) {
            int length;
            try {
                length = Integer.reverseBytes(in.readInt());
            } catch (SocketTimeoutException e) {
                continue;
            } catch (EOFException | java.net.SocketException e) {
                seen.append(" closed");
                break;
            }
            assertTrue(length >= MessageHeaderDecoder.ENCODED_LENGTH && length <= 1024, "frame of " + length);
            byte[] bytes = new byte[length];
            s.setSoTimeout(2_000);
            in.readFully(bytes);
            s.setSoTimeout(50);
            String answer = describe(new UnsafeBuffer(bytes));
            answers.add(answer);
            seen.append(' ').append(answer);
            if (answer.startsWith("Logout") || answer.startsWith("LogonReject")) {
                break;
            }
        }
        return seen.toString();
    }

    private static String describe(UnsafeBuffer frame) {
        MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        int body = MessageHeaderDecoder.ENCODED_LENGTH;
        int block = header.blockLength();
        int code;
        String name;
        switch (header.templateId()) {
            case LogonAckDecoder.TEMPLATE_ID -> {
                return "LogonAck";
            }
            case ExecutionReportDecoder.TEMPLATE_ID -> {
                ExecutionReportDecoder r = new ExecutionReportDecoder().wrap(frame, body, block, 1);
                assertTrue(r.execType() != ExecType.REJECTED || r.code() >= 1000 || CODES.contains(r.code()),
                        "reject code " + r.code() + " " + r.text());
                return "ExecutionReport " + r.execType() + " " + r.code();
            }
            case LogoutDecoder.TEMPLATE_ID -> {
                LogoutDecoder d = new LogoutDecoder().wrap(frame, body, block, 1);
                code = d.code();
                name = "Logout " + code + " " + d.text();
            }
            case LogonRejectDecoder.TEMPLATE_ID -> {
                LogonRejectDecoder d = new LogonRejectDecoder().wrap(frame, body, block, 1);
                code = d.code();
                name = "LogonReject " + code + " " + d.text();
            }
            case SessionRejectDecoder.TEMPLATE_ID -> {
                SessionRejectDecoder d = new SessionRejectDecoder().wrap(frame, body, block, 1);
                code = d.code();
                name = "SessionReject " + code + " " + d.text();
            }
            default -> {
                return "Heartbeat";
            }
        }
        assertTrue(CODES.contains(code), name);
        return name;
    }
}
