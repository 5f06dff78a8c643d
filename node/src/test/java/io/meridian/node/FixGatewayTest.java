package io.meridian.node;

import io.meridian.node.fix.FixGateway;
import io.meridian.node.codec.RequestSigning;
import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import org.junit.jupiter.api.Test;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.MsgType;

import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FIX 4.4 gateway end to end: a node with a FIX acceptor on a free port, and QuickFIX/J initiators in the test
 * (memory stores). A Logon signed by the owner's key opens a session for the address's account; orders, a later fill by
 * another account's REST order, cancels and refusals come back as the FIX messages docs/api.md lists.
 */
class FixGatewayTest extends NodeHttpTest {
    private static final long WAIT_SECONDS = 5;

    /** A test FIX client: one initiator session whose inbound messages (admin and application) are queued. */
    static final class Client implements Application, AutoCloseable {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        final Consumer<Message> logonFields;
        SocketInitiator initiator;
        SessionID session;

        Client(Consumer<Message> logonFields) {
            this.logonFields = logonFields;
        }

        Client start(String compId, int port) throws ConfigError {
            session = new SessionID(FixGateway.BEGIN_STRING, compId, "MERIDIAN");
            SessionSettings settings = new SessionSettings();
            settings.setString(session, "ConnectionType", "initiator");
            settings.setString(session, "SocketConnectHost", "127.0.0.1");
            settings.setLong(session, "SocketConnectPort", port);
            settings.setLong(session, "HeartBtInt", 30);
            settings.setLong(session, "ReconnectInterval", 60);
            settings.setString(session, "NonStopSession", "Y");
            settings.setString(session, "UseDataDictionary", "Y");
            settings.setString(session, "DataDictionary", "FIX44.xml");
            initiator = new SocketInitiator(this, new MemoryStoreFactory(), settings, new SLF4JLogFactory(settings),
                    new DefaultMessageFactory());
            initiator.start();
            return this;
        }

        boolean awaitLogon() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                if (initiator.isLoggedOn()) {
                    return true;
                }
                Thread.sleep(10);
            }
            return false;
        }

        void send(Message message) throws SessionNotFound {
            Session.sendToTarget(message, session);
        }

        /** The next message of {@code type} within the wait (others are skipped). */
        Message next(String type) throws InterruptedException, FieldNotFound {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                Message m = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertNotNull(m, "no message of type " + type + " within " + WAIT_SECONDS + " s");
                if (m.getHeader().getString(MsgType.FIELD).equals(type)) {
                    return m;
                }
            }
        }

        @Override
        public void onCreate(SessionID sessionId) {
        }

        @Override
        public void onLogon(SessionID sessionId) {
        }

        @Override
        public void onLogout(SessionID sessionId) {
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
            if (message instanceof quickfix.fix44.Logon) {
                logonFields.accept(message);
            }
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) {
            received.add(message);
        }

        @Override
        public void toApp(Message message, SessionID sessionId) {
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) {
            received.add(message);
        }

        @Override
        public void close() {
            if (initiator != null) {
                initiator.stop(true);
            }
        }
    }

    /** Logon fields of a Session message signed by {@code signer} for {@code address} (docs/api.md, FIX 4.4). */
    private static Consumer<Message> signedLogon(String address, Secp256k1PrivateKey signer) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = System.currentTimeMillis() + 3_600_000L;
        c.nonce = System.currentTimeMillis();
        SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), signer);
        String signature = Hex.encode0x(c.signature);
        return logon -> {
            logon.setString(FixGateway.TAG_USERNAME, address);
            logon.setString(FixGateway.TAG_PASSWORD, c.validUntil + ":" + c.nonce);
            logon.setInt(95, signature.length());
            logon.setString(FixGateway.TAG_RAW_DATA, signature);
        };
    }

    static Message order(String clOrdId, char side, String quantity, String price) {
        Message m = new quickfix.fix44.NewOrderSingle();
        m.setString(11, clOrdId);
        m.setString(55, "ETH-PERP");
        m.setChar(54, side);
        m.setUtcTimeStamp(60, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
        m.setString(38, quantity);
        m.setChar(40, '2');
        m.setString(44, price);
        m.setChar(59, '1');
        return m;
    }

    static Message cancel(String clOrdId, String origClOrdId) {
        Message m = new quickfix.fix44.OrderCancelRequest();
        m.setString(11, clOrdId);
        m.setString(41, origClOrdId);
        m.setString(55, "ETH-PERP");
        m.setChar(54, '2');
        m.setUtcTimeStamp(60, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
        return m;
    }

    @Test
    void signedLogonOrdersFillsCancelsAndRefusals() throws Exception {
        SecureRandom random = new SecureRandom();
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        try (Node node = Node.start(config().withFix(new NodeConfig.Fix(0, "MERIDIAN")))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");

            // A Logon whose signature is another key's is refused with the reason in the Logout's Text(58).
            try (Client forged = new Client(signedLogon(address, Secp256k1PrivateKey.random(random)))
                    .start("FORGER", node.fixPort())) {
                Message logout = forged.next(MsgType.LOGOUT);
                assertTrue(logout.getString(58).startsWith("8004 signed by 0x"), logout.getString(58));
                assertTrue(logout.getString(58).contains(", not by " + address + " (digest 0x"), logout.getString(58));
                assertFalse(forged.initiator.isLoggedOn());
            }

            try (Client mm = new Client(signedLogon(address, owner)).start("MM1", node.fixPort())) {
                assertTrue(mm.awaitLogon(), "the owner-signed logon is accepted");

                // A resting sell: ExecutionReport NEW.
                mm.send(order("1001", '2', "1.5", "3000.5"));
                Message accepted = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('0', accepted.getChar(150));
                assertEquals('0', accepted.getChar(39));
                assertEquals("1001", accepted.getString(11));
                assertEquals("ETH-PERP", accepted.getString(55));
                assertEquals("1.5", accepted.getString(151));
                assertEquals("0", accepted.getString(14));
                String orderId = accepted.getString(37);

                // Another account's REST buy crosses it: a partial fill reported to the FIX session.
                postOk("/v1/orders", "{\"account\":2,\"instrument\":2,\"side\":\"buy\",\"price\":\"3000.5\","
                        + "\"quantity\":\"0.5\",\"timeInForce\":\"ioc\"}");
                Message fill = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('F', fill.getChar(150));
                assertEquals('1', fill.getChar(39));
                assertEquals(orderId, fill.getString(37));
                assertEquals("1001", fill.getString(11));
                assertEquals("3000.5", fill.getString(31));
                assertEquals("0.5", fill.getString(32));
                assertEquals("0.5", fill.getString(14));
                assertEquals("1", fill.getString(151));
                assertEquals("3000.5", fill.getString(6));
                // TransactTime(60) is the engine's command time of the fill (the node's clock here: wall time).
                java.time.LocalDateTime transact = fill.getUtcTimeStamp(60);
                long skewMillis = Math.abs(java.time.Duration.between(transact,
                        java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)).toMillis());
                assertTrue(skewMillis < 60_000, "TransactTime " + transact);

                // Cancel by OrigClOrdID: CANCELED, carrying the cancel's ClOrdID.
                mm.send(cancel("c-1", "1001"));
                Message canceled = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('4', canceled.getChar(150));
                assertEquals('4', canceled.getChar(39));
                assertEquals(orderId, canceled.getString(37));
                assertEquals("c-1", canceled.getString(11));
                assertEquals("1001", canceled.getString(41));
                assertEquals("0.5", canceled.getString(14));
                assertEquals("0", canceled.getString(151));

                // Cancel of an order the account does not have: OrderCancelReject with the engine's reason.
                mm.send(cancel("c-2", "999"));
                Message cancelReject = mm.next(MsgType.ORDER_CANCEL_REJECT);
                assertEquals("c-2", cancelReject.getString(11));
                assertEquals("999", cancelReject.getString(41));
                assertEquals(1, cancelReject.getInt(102));
                assertEquals('1', cancelReject.getChar(434));
                assertTrue(cancelReject.getString(58).startsWith("2019 UNKNOWN_ORDER"), cancelReject.getString(58));

                // A price off the tick: REJECTED with the gateway's code, as REST answers it.
                mm.send(order("1002", '1', "1", "3000.005"));
                Message offTick = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('8', offTick.getChar(150));
                assertEquals('8', offTick.getChar(39));
                assertEquals("1002", offTick.getString(11));
                assertEquals(99, offTick.getInt(103));
                assertEquals("460 Price(44): 3000.005 is not a multiple of 0.01", offTick.getString(58));

                // A ClOrdID that is no client order id (a space is not one of its characters): a session-level Reject
                // naming the tag and the rule (docs/api.md, "FIX 4.4").
                mm.send(order("a b", '1', "1", "3000"));
                Message notAnId = mm.next(MsgType.REJECT);
                assertEquals(11, notAnId.getInt(371));
                assertEquals("D", notAnId.getString(372));
                assertEquals(5, notAnId.getInt(373));
                assertEquals(io.meridian.node.codec.Codes.BAD_FIELD + " ClOrdID(11): character 2 is not allowed: 1 to 36"
                        + " characters of A-Z a-z 0-9 . _ : / -", notAnId.getString(58));

                // A message type the gateway does not take: BusinessMessageReject (unsupported message type).
                Message status = new quickfix.fix44.OrderStatusRequest();
                status.setString(11, "1001");
                status.setString(55, "ETH-PERP");
                status.setChar(54, '2');
                mm.send(status);
                Message reject = mm.next(MsgType.BUSINESS_MESSAGE_REJECT);
                assertEquals("H", reject.getString(372));
                assertEquals(3, reject.getInt(380));
            }
        }
    }

    /** Auth mode open: Username = account id, no signature (as REST by account id); a replace, then a full fill. */
    @Test
    void openModeLogonByAccountIdReplacesAndFills() throws Exception {
        try (Node node = Node.start(config().withFix(new NodeConfig.Fix(0, "MERIDIAN")))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":3,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/dev/deposit", "{\"account\":4,\"asset\":0,\"amount\":\"100000\"}");
            try (Client mm = new Client(logon -> logon.setString(FixGateway.TAG_USERNAME, "3"))
                    .start("MM3", node.fixPort())) {
                assertTrue(mm.awaitLogon(), "a logon by account id is accepted in auth mode open");
                mm.send(order("2001", '1', "2", "2999"));
                Message accepted = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('0', accepted.getChar(150));
                String orderId = accepted.getString(37);

                Message replace = new quickfix.fix44.OrderCancelReplaceRequest();
                replace.setString(11, "r-1");
                replace.setString(41, "2001");
                replace.setString(55, "ETH-PERP");
                replace.setChar(54, '1');
                replace.setUtcTimeStamp(60, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
                replace.setString(38, "3");
                replace.setChar(40, '2');
                replace.setString(44, "2999.5");
                mm.send(replace);
                Message replaced = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('5', replaced.getChar(150));
                assertEquals('0', replaced.getChar(39));
                assertEquals(orderId, replaced.getString(37));
                assertEquals("r-1", replaced.getString(11));
                assertEquals("2001", replaced.getString(41));
                assertEquals("3", replaced.getString(38));
                assertEquals("2999.5", replaced.getString(44));
                assertEquals("3", replaced.getString(151));

                postOk("/v1/orders", "{\"account\":4,\"instrument\":2,\"side\":\"sell\",\"price\":\"2999.5\","
                        + "\"quantity\":\"3\",\"timeInForce\":\"ioc\"}");
                Message fill = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('F', fill.getChar(150));
                assertEquals('2', fill.getChar(39));
                assertEquals(orderId, fill.getString(37));
                assertEquals("2999.5", fill.getString(31));
                assertEquals("3", fill.getString(32));
                assertEquals("3", fill.getString(14));
                assertEquals("0", fill.getString(151));
                assertEquals("2999.5", fill.getString(6));
            }
        }
    }

    /** Auth mode signed: a logon by account id is refused (SIGNATURE_REQUIRED), as REST refuses it. */
    @Test
    void signedModeRefusesLogonByAccountId() throws Exception {
        NodeConfig d = config();
        NodeConfig signed = new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(),
                d.maxBodyBytes(), true, d.assets(), d.instruments(), d.ordersPerSecondPerAccount(),
                d.requestsPerSecondPerConnection(), NodeConfig.Auth.signed()).withFix(new NodeConfig.Fix(0, "MERIDIAN"));
        try (Node node = Node.start(signed);
             Client mm = new Client(logon -> logon.setString(FixGateway.TAG_USERNAME, "3")).start("MM3", node.fixPort())) {
            Message logout = mm.next(MsgType.LOGOUT);
            assertTrue(logout.getString(58).startsWith(RequestSigning.SIGNATURE_REQUIRED + " this node accepts only"),
                    logout.getString(58));
        }
    }

    /** Logon fields of a Session message signed by an agent key of {@code owner} (tag 20001 names the key). */
    private static Consumer<Message> agentLogon(String owner, AgentSigner agent) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = System.currentTimeMillis() + 3_600_000L;
        c.nonce = System.currentTimeMillis();
        SignedCommands.signAsAgent(c, MeridianTypes.devDomain(), Address.parseOrThrow(owner), agent);
        String signature = Hex.encode0x(c.signature);
        return logon -> {
            logon.setString(FixGateway.TAG_USERNAME, owner);
            logon.setString(FixGateway.TAG_PASSWORD, c.validUntil + ":" + c.nonce);
            logon.setInt(95, signature.length());
            logon.setString(FixGateway.TAG_RAW_DATA, signature);
            logon.setString(FixGateway.AGENT_KEY_TAG, agent.publicKey().toHex());
        };
    }

    @Test
    void anApprovedAgentKeyLogsOnAndAnUnapprovedOneIsRefused() throws Exception {
        SecureRandom random = new SecureRandom();
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        AgentSigner agent = AgentSigner.random(random);
        try (Node node = Node.start(config().withFix(new NodeConfig.Fix(0, "MERIDIAN")))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");

            // Before the owner approves it, the agent's logon is refused by the engine (the key is not approved).
            try (Client early = new Client(agentLogon(address, agent)).start("AGENT0", node.fixPort())) {
                Message logout = early.next(MsgType.LOGOUT);
                assertTrue(logout.getString(58).startsWith("8005"), logout.getString(58));
                assertFalse(early.initiator.isLoggedOn());
            }

            // The owner approves the key (signed EIP-712 ApproveAgent), then the agent logs on and trades.
            Command approve = new Command().reset();
            approve.type = CommandType.APPROVE_AGENT;
            approve.agentKey = agent.publicKey().toBytes();
            approve.agentName = "fix-mm";
            approve.validUntil = System.currentTimeMillis() + 86_400_000L;
            approve.nonce = System.currentTimeMillis();
            SignedCommands.signAsOwner(approve, MeridianTypes.devDomain(), owner);
            postOk("/v1/agents", "{\"address\":\"" + address + "\",\"agentKey\":\"" + agent.publicKey().toHex()
                    + "\",\"name\":\"fix-mm\",\"validUntil\":" + approve.validUntil + ",\"nonce\":" + approve.nonce
                    + ",\"signature\":\"" + Hex.encode0x(approve.signature) + "\"}");
            try (Client mm = new Client(agentLogon(address, agent)).start("AGENT1", node.fixPort())) {
                assertTrue(mm.awaitLogon(), "the approved agent's logon is accepted");
                mm.send(order("5001", '1', "0.25", "2999"));
                Message accepted = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('0', accepted.getChar(150));
                assertEquals("5001", accepted.getString(11));
                assertEquals("0.25", accepted.getString(151));
            }
            JsonNode orders = ok("/v1/orders?address=" + address);
            assertEquals(1, orders.size(), "the agent's order rests on the owner's account: " + orders);
        }
    }

    /** What a FIX session sees when its account is liquidated: the liquidation order's fills, as execution reports. */
    @Test
    void aLiquidationOfTheAccountIsReportedOverFix() throws Exception {
        try (Node node = Node.start(config().withFix(new NodeConfig.Fix(0, "MERIDIAN")))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":5,\"asset\":0,\"amount\":\"200\"}");
            postOk("/v1/dev/deposit", "{\"account\":6,\"asset\":0,\"amount\":\"1000000\"}");
            try (Client mm = new Client(logon -> logon.setString(FixGateway.TAG_USERNAME, "5"))
                    .start("MM5", node.fixPort())) {
                assertTrue(mm.awaitLogon());
                // Account 5 buys 1 ETH at 3000 with 200 USDC (20x), from account 6's offer.
                postOk("/v1/orders", "{\"account\":6,\"instrument\":2,\"side\":\"sell\",\"price\":\"3000\","
                        + "\"quantity\":\"1\"}");
                mm.send(order("7001", '1', "1", "3000"));
                Message bought = mm.next(MsgType.EXECUTION_REPORT);
                if (bought.getChar(150) == '0') {
                    bought = mm.next(MsgType.EXECUTION_REPORT);
                }
                assertEquals('F', bought.getChar(150), bought.toString());
                // Account 6 bids under the market; the mark falls until account 5's equity is under maintenance.
                postOk("/v1/orders", "{\"account\":6,\"instrument\":2,\"side\":\"buy\",\"price\":\"2820\","
                        + "\"quantity\":\"5\"}");
                postOk("/v1/dev/mark", "{\"instrument\":2,\"price\":\"2810\"}");
                // A partial liquidation (docs/risk.md): enough of the long is sold to restore the buffer.
                String left = ok("/v1/positions?account=5&instrument=2").get(0).get("size").asText();
                assertTrue(new java.math.BigDecimal(left).compareTo(java.math.BigDecimal.ONE) < 0, "partly sold: " + left);
                // The engine's liquidation order for the account: NEW, then its fill at the bid, both marked.
                Message placed = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('0', placed.getChar(150), placed.toString());
                assertEquals("liquidation", placed.getString(58));
                assertEquals('2', placed.getChar(54), "the liquidation sells the long: " + placed);
                Message liquidation = mm.next(MsgType.EXECUTION_REPORT);
                assertEquals('F', liquidation.getChar(150), liquidation.toString());
                assertEquals(placed.getString(37), liquidation.getString(37));
                assertEquals("2820", liquidation.getString(31));
                assertEquals(new java.math.BigDecimal(1).subtract(new java.math.BigDecimal(left)),
                        new java.math.BigDecimal(liquidation.getString(32)), "the sold part: " + liquidation);
                assertEquals("liquidation", liquidation.getString(58));
            }
        }
    }
}
