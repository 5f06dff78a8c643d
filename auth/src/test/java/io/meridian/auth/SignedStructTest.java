package io.meridian.auth;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.MarginMode;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.meridian.auth.Fixtures.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each struct is described once, by its {@link SignedStruct} table, and everything signed comes from that table: the
 * type strings are the published ones, the message lists the members in type-string order, and the struct hash equals
 * an encoding written out by hand below from docs/auth.md (independently of the tables) for random values. The seed is
 * printed; rerun one with {@code -Dauth.seed=N}.
 */
class SignedStructTest {

    /** The wire contract, as docs/auth.md publishes it. */
    static final Map<SignedStruct<?>, String> TYPE_STRINGS = new LinkedHashMap<>();

    static {
        TYPE_STRINGS.put(OrderRequest.STRUCT, "Order(address account,uint32 instrument,bool isBuy,uint64 price,"
                + "uint64 quantity,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId,uint8 orderType,"
                + "uint64 triggerPrice,uint8 triggerSource,uint64 expireAt,uint8 postOnly,uint64 displayQuantity,"
                + "uint8 selfTradePrevention,uint64 nonce)");
        TYPE_STRINGS.put(CancelRequest.STRUCT,
                "Cancel(address account,uint32 instrument,uint64 orderId,uint64 clientOrderId,uint64 nonce)");
        TYPE_STRINGS.put(WithdrawRequest.STRUCT,
                "Withdraw(address account,uint32 asset,uint64 amount,address destination,uint64 nonce)");
        TYPE_STRINGS.put(ApproveAgent.STRUCT, "ApproveAgent(bytes32 agentKey,string name,uint64 nonce,uint64 validUntil)");
        TYPE_STRINGS.put(RevokeAgent.STRUCT, "RevokeAgent(bytes32 agentKey,uint64 nonce)");
        TYPE_STRINGS.put(AmendRequest.STRUCT, "Amend(address account,uint32 instrument,uint64 orderId,uint64 price,"
                + "uint64 quantity,uint64 nonce)");
        TYPE_STRINGS.put(AmendTriggerRequest.STRUCT, "AmendTrigger(address account,uint32 instrument,uint64 orderId,"
                + "uint64 price,uint64 quantity,uint64 triggerPrice,uint64 nonce)");
        TYPE_STRINGS.put(CancelAllRequest.STRUCT, "CancelAll(address account,uint32 instrument,uint64 nonce)");
        TYPE_STRINGS.put(SettingsRequest.STRUCT,
                "Settings(address account,uint32 instrument,uint32 leverage,uint8 marginMode,uint64 nonce)");
        TYPE_STRINGS.put(SessionRequest.STRUCT, "Session(address account,uint64 validUntil,uint64 nonce)");
        TYPE_STRINGS.put(RiskBoundsProposal.STRUCT, "RiskBoundsProposal(address account,uint32 instrument,uint64 floorPpm,"
                + "uint64 ceilingPpm,uint64 maxChangePerHourPpm,uint64 hysteresisPpm,uint64 noticeMillis,uint64 nonce)");
        TYPE_STRINGS.put(ProposalVote.STRUCT, "ProposalVote(address account,uint64 proposalId,uint8 action,uint64 nonce)");
        TYPE_STRINGS.put(ReadAccess.STRUCT, "ReadAccess(address account,uint64 validUntil,uint64 nonce)");
        TYPE_STRINGS.put(FeedSignatures.PriceReport.STRUCT,
                "PriceReport(uint32 index,uint32 source,uint64 price,uint64 timestamp,uint64 confidence)");
        TYPE_STRINGS.put(FeedSignatures.SurfaceUpdate.STRUCT, "SurfaceUpdate(uint32 index,uint64 timestamp,bytes32 body)");
    }

    private static final long SEED = Long.getLong("auth.seed", System.nanoTime());

    private static Random random(String test) {
        System.out.println("SignedStructTest." + test + " seed=" + SEED + " (rerun with -Dauth.seed=" + SEED + ")");
        return new Random(SEED);
    }

    @Test
    void typeStringsAreThePublishedOnesAndTheGenericSetIsBuiltFromTheTables() {
        assertEquals(15, TYPE_STRINGS.size());
        for (Map.Entry<SignedStruct<?>, String> entry : TYPE_STRINGS.entrySet()) {
            SignedStruct<?> struct = entry.getKey();
            assertEquals(entry.getValue(), struct.typeString());
            assertEquals(entry.getValue(), MeridianTypes.TYPES.encodeType(struct.name()), "the generic encoder's view");
            assertArrayEquals(Keccak.hash(entry.getValue()), struct.typeHash());
            assertEquals(entry.getValue(), struct.name() + "(" + String.join(",", struct.declarations()) + ")");
        }
    }

    @Test
    void everyStructsHashIsTheHandWrittenEncodingAndTheGenericOne() {
        Random rnd = random("everyStructsHashIsTheHandWrittenEncodingAndTheGenericOne");
        for (int round = 0; round < 300; round++) {
            for (Sample<?> sample : samples(rnd)) {
                sample.check("seed " + SEED + " round " + round);
            }
        }
    }

    @Test
    void theMessageListsTheMembersInTypeStringOrder() {
        Random rnd = random("theMessageListsTheMembersInTypeStringOrder");
        for (Sample<?> sample : samples(rnd)) {
            List<String> declared = new ArrayList<>();
            for (String declaration : sample.struct.declarations()) {
                declared.add(declaration.substring(declaration.indexOf(' ') + 1));
            }
            assertEquals(declared, new ArrayList<>(sample.message().keySet()), sample.struct.name());
        }
    }

    /**
     * Digests of the structs beyond {@link MeridianTypesTest}'s examples, published in docs/auth.md's test vectors too:
     * computed by the fixed-layout encoders before the structs became tables and cross-checked once against an
     * independent Keccak-256 and EIP-712 encoding written in Python, so they also pin those encoders' output (and
     * ethers recomputes them on every build, {@code EthersInteropTest}).
     */
    @Test
    void digestsOfTheOtherStructsAreUnchanged() {
        Address cow = MeridianTypesTest.COW.address();
        assertDigest("b209e2e3cf67edc235ad09aa813c83f413e7585c51228ff59bf3b84f603d9524",
                new AmendRequest(cow, 1, 7, 6_400_000, 30, 1_700_000_000_005L).digest(DOMAIN));
        assertDigest("62b0b58d7f404226688dad5fa56a0618e2f1d07d0fdb8e863bd5d25504237c84",
                new CancelAllRequest(cow, -1, 1_700_000_000_006L).digest(DOMAIN));
        assertDigest("9c3613ad01cd0e59755900bf0d73c933e5d50fda18a19b3ce0927d8e75468bd1",
                new SettingsRequest(cow, 1, 20, 0, 1_700_000_000_007L).digest(DOMAIN));
        assertDigest("e579969105fc120742a92714565fed2b9322000d80da0c63c0763a4ded590f86",
                new SettingsRequest(cow, 1, 0, 2, 1_700_000_000_008L).digest(DOMAIN));
        assertDigest("c12f05184ed6e4fef3a6417f4944a6029f9c276e08e2cc7c9dcd74ded742e348",
                new SessionRequest(cow, 1_700_086_400_000L, 1_700_000_000_009L).digest(DOMAIN));
        assertDigest("c70d8900b439e992da78fafaa7abc99b213c990d2d427e1c4de1d57fe9c58296",
                new ReadAccess(cow, 1_700_003_600_000L, 1_700_000_000_010L).digest(DOMAIN));
        assertDigest("808e2342c1c8f936dbb297b05c8e967325e2e19120c399883d0b70b0315149af",
                FeedSignatures.priceReportDigest(DOMAIN, 3, 1, 6_012_345L, 1_700_000_000_123_456_789L, -1));
        assertDigest("d18c45f4c4bd91024a3715f9f17b793a66ee1b58cc1c4fad81fcee05d32deffd", FeedSignatures.surfaceDigest(
                DOMAIN, 3, 5, "{\"index\":3,\"timestamp\":5,\"quotes\":[]}".getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertDigest(String expected, byte[] digest) {
        assertEquals(expected, Hex.encode(digest));
    }

    /**
     * The record a command stands for is the one written out field by field here (the mapping of docs/auth.md and
     * {@link SignedCommands}), for random commands of every signable type, absent enums included.
     */
    @Test
    void commandsBecomeTheRecordsTheirFieldsSay() {
        Random rnd = random("commandsBecomeTheRecordsTheirFieldsSay");
        int signable = 0;
        for (CommandType type : CommandType.values()) {
            if (!SignedCommands.isSignable(type)) {
                Command c = randomCommand(rnd, type);
                assertThrows(IllegalArgumentException.class, () -> SignedCommands.messageOf(c), type.toString());
                continue;
            }
            signable++;
            for (int i = 0; i < 50; i++) {
                Command c = randomCommand(rnd, type);
                TypedMessage message = SignedCommands.messageOf(c);
                assertEquals(expectedRecord(c), message, "seed " + SEED + " " + type);
                if (message.validate().isOk()) {
                    // (A margin-mode change with no mode is a record, but one that may not be hashed.)
                    assertArrayEquals(reference(message), message.structHash(), "seed " + SEED + " " + type);
                }
            }
        }
        assertEquals(13, signable,
                "orders, cancels, amends, cancel-alls, withdrawals, two settings, agents, sessions, three governance");
    }

    @Test
    void aCommandMissingAFieldNamesIt() {
        Command order = randomCommand(new Random(1), CommandType.PLACE_ORDER);
        order.side = null;
        assertEquals("an order needs a side", message(order));
        order.address = new byte[19];
        assertEquals("address: a 20-byte address is required", message(order), "the account is read first");
        Command withdraw = randomCommand(new Random(2), CommandType.WITHDRAW);
        withdraw.destination = null;
        assertEquals("destination: a 20-byte address is required", message(withdraw));
        Command approve = randomCommand(new Random(3), CommandType.APPROVE_AGENT);
        approve.agentName = null;
        assertEquals("an agent approval needs a name", message(approve));
        approve.agentKey = new byte[31];
        assertTrue(message(approve).startsWith("agentKey: "), "the key is read first");
    }

    private static String message(Command c) {
        return assertThrows(IllegalArgumentException.class, () -> SignedCommands.messageOf(c)).getMessage();
    }

    @Test
    void aTableMustMatchItsRecord() {
        record Swapped(long nonce, long orderId) {
        }
        assertThrows(IllegalStateException.class, () -> SignedStruct.builder("Swapped", Swapped.class)
                .uint64("orderId", Swapped::orderId)
                .uint64("nonce", Swapped::nonce)
                .build(), "members in another order than the components");
        record Narrow(int instrument) {
        }
        assertThrows(IllegalStateException.class, () -> SignedStruct.builder("Narrow", Narrow.class)
                .uint64("instrument", n -> n.instrument())
                .build(), "a uint64 is read from a long");
        assertThrows(IllegalStateException.class, () -> SignedStruct.builder("Short", Swapped.class)
                .uint64("nonce", Swapped::nonce)
                .build(), "a component without a member");
        assertThrows(IllegalStateException.class, () -> SignedStruct.builder("Half", Swapped.class)
                .uint64("nonce", Swapped::nonce, c -> c.nonce)
                .uint64("orderId", Swapped::orderId)
                .build(), "every member or none is read from a command");
    }

    @Test
    void uint8MembersAreRangeCheckedInOrderBeforeHashing() {
        OrderRequest order = new OrderRequest(MeridianTypesTest.COW.address(), 1, true, 1, 1, 256, false, 0, -1, 0, 0,
                0, 0, 0, 0, 1);
        assertEquals("Order.timeInForce must be in [0, 255], got 256", order.validate().message());
        assertEquals("Order.timeInForce must be in [0, 255], got 256",
                assertThrows(IllegalArgumentException.class, order::structHash).getMessage());
        SettingsRequest settings = new SettingsRequest(MeridianTypesTest.COW.address(), 1, 0, 300, 1);
        assertEquals("Settings.marginMode must be in [0, 255], got 300", settings.validate().message(),
                "the member check comes before the record's own");
    }

    // ---- samples of every struct, with the hash each should have ---------------------------------------------------

    /** A struct, a random record of it and its hash computed by hand. */
    record Sample<R>(SignedStruct<R> struct, R record, byte[] expected) {

        Map<String, Object> message() {
            return struct.message(record);
        }

        void check(String context) {
            String where = context + " " + struct.name() + " " + record;
            assertArrayEquals(expected, struct.structHash(record), where);
            assertArrayEquals(expected, MeridianTypes.TYPES.hashStruct(struct.name(), message()), where + " (generic)");
            if (record instanceof TypedMessage typed) {
                assertEquals(struct.name(), typed.primaryType());
                assertArrayEquals(expected, typed.structHash(), where);
                assertEquals(message().keySet(), typed.message().keySet());
            }
        }
    }

    private static List<Sample<?>> samples(Random rnd) {
        List<Sample<?>> samples = new ArrayList<>();
        for (TypedMessage message : randomMessages(rnd)) {
            samples.add(sample(message));
        }
        FeedSignatures.PriceReport report = new FeedSignatures.PriceReport(rnd.nextInt(), rnd.nextInt(), rnd.nextLong(),
                rnd.nextLong(), rnd.nextLong());
        samples.add(new Sample<>(FeedSignatures.PriceReport.STRUCT, report, new Reference(FeedSignatures.PriceReport.STRUCT)
                .uint32(report.index()).uint32(report.source()).uint64(report.price()).uint64(report.timestamp())
                .uint64(report.confidence()).hash()));
        FeedSignatures.SurfaceUpdate surface = new FeedSignatures.SurfaceUpdate(rnd.nextInt(), rnd.nextLong(),
                bytes(rnd, 32));
        samples.add(new Sample<>(FeedSignatures.SurfaceUpdate.STRUCT, surface,
                new Reference(FeedSignatures.SurfaceUpdate.STRUCT).uint32(surface.index()).uint64(surface.timestamp())
                        .bytes32(surface.body()).hash()));
        List<String> names = new ArrayList<>();
        for (Sample<?> sample : samples) {
            names.add(sample.struct.name());
        }
        List<String> all = new ArrayList<>();
        for (SignedStruct<?> struct : TYPE_STRINGS.keySet()) {
            all.add(struct.name());
        }
        assertEquals(all, names, "a sample of every struct");
        return samples;
    }

    @SuppressWarnings("unchecked")
    private static <R extends TypedMessage> Sample<R> sample(R message) {
        for (SignedStruct<?> struct : TYPE_STRINGS.keySet()) {
            if (struct.name().equals(message.primaryType())) {
                return new Sample<>((SignedStruct<R>) struct, message, reference(message));
            }
        }
        throw new AssertionError("no struct " + message.primaryType());
    }

    private static List<TypedMessage> randomMessages(Random rnd) {
        Address account = Address.of(bytes(rnd, 20));
        AgentKey agent = AgentSigner.of(bytes(rnd, 32)).publicKey();
        boolean leverage = rnd.nextBoolean();
        return List.of(
                new OrderRequest(account, rnd.nextInt(), rnd.nextBoolean(), rnd.nextLong(), rnd.nextLong(), uint8(rnd),
                        rnd.nextBoolean(), rnd.nextLong(), uint8(rnd), rnd.nextLong(), uint8(rnd), rnd.nextLong(),
                        uint8(rnd), rnd.nextLong(), uint8(rnd), rnd.nextLong()),
                new CancelRequest(account, rnd.nextInt(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()),
                new WithdrawRequest(account, rnd.nextInt(), rnd.nextLong(), Address.of(bytes(rnd, 20)), rnd.nextLong()),
                new ApproveAgent(agent, name(rnd), rnd.nextLong(), rnd.nextLong()),
                new RevokeAgent(agent, rnd.nextLong()),
                new AmendRequest(account, rnd.nextInt(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()),
                new AmendTriggerRequest(account, rnd.nextInt(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(),
                        nonZero(rnd), rnd.nextLong()),
                new CancelAllRequest(account, rnd.nextInt(), rnd.nextLong()),
                new SettingsRequest(account, rnd.nextInt(), leverage ? nonZero(rnd) : 0, leverage ? 0 : 1 + rnd.nextInt(255),
                        rnd.nextLong()),
                new SessionRequest(account, rnd.nextLong(), rnd.nextLong()),
                new RiskBoundsProposal(account, rnd.nextInt(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(),
                        rnd.nextLong(), rnd.nextLong(), rnd.nextLong()),
                new ProposalVote(account, rnd.nextLong(), rnd.nextInt(2), rnd.nextLong()),
                new ReadAccess(account, rnd.nextLong(), rnd.nextLong()));
    }

    /** The hash of a message, member by member as docs/auth.md lists them. */
    static byte[] reference(TypedMessage message) {
        if (message instanceof OrderRequest o) {
            return new Reference(OrderRequest.STRUCT).address(o.account()).uint32(o.instrument()).bool(o.isBuy())
                    .uint64(o.price()).uint64(o.quantity()).uint8(o.timeInForce()).bool(o.reduceOnly())
                    .uint64(o.clientOrderId()).uint8(o.orderType()).uint64(o.triggerPrice()).uint8(o.triggerSource())
                    .uint64(o.expireAt()).uint8(o.postOnly()).uint64(o.displayQuantity()).uint8(o.selfTradePrevention())
                    .uint64(o.nonce()).hash();
        } else if (message instanceof CancelRequest c) {
            return new Reference(CancelRequest.STRUCT).address(c.account()).uint32(c.instrument()).uint64(c.orderId())
                    .uint64(c.clientOrderId()).uint64(c.nonce()).hash();
        } else if (message instanceof WithdrawRequest w) {
            return new Reference(WithdrawRequest.STRUCT).address(w.account()).uint32(w.asset()).uint64(w.amount())
                    .address(w.destination()).uint64(w.nonce()).hash();
        } else if (message instanceof ApproveAgent a) {
            return new Reference(ApproveAgent.STRUCT).bytes32(a.agentKey().toBytes()).string(a.name()).uint64(a.nonce())
                    .uint64(a.validUntil()).hash();
        } else if (message instanceof RevokeAgent r) {
            return new Reference(RevokeAgent.STRUCT).bytes32(r.agentKey().toBytes()).uint64(r.nonce()).hash();
        } else if (message instanceof AmendRequest a) {
            return new Reference(AmendRequest.STRUCT).address(a.account()).uint32(a.instrument()).uint64(a.orderId())
                    .uint64(a.price()).uint64(a.quantity()).uint64(a.nonce()).hash();
        } else if (message instanceof AmendTriggerRequest a) {
            return new Reference(AmendTriggerRequest.STRUCT).address(a.account()).uint32(a.instrument())
                    .uint64(a.orderId()).uint64(a.price()).uint64(a.quantity()).uint64(a.triggerPrice())
                    .uint64(a.nonce()).hash();
        } else if (message instanceof CancelAllRequest c) {
            return new Reference(CancelAllRequest.STRUCT).address(c.account()).uint32(c.instrument()).uint64(c.nonce())
                    .hash();
        } else if (message instanceof SettingsRequest s) {
            return new Reference(SettingsRequest.STRUCT).address(s.account()).uint32(s.instrument()).uint32(s.leverage())
                    .uint8(s.marginMode()).uint64(s.nonce()).hash();
        } else if (message instanceof SessionRequest s) {
            return new Reference(SessionRequest.STRUCT).address(s.account()).uint64(s.validUntil()).uint64(s.nonce())
                    .hash();
        } else if (message instanceof RiskBoundsProposal p) {
            return new Reference(RiskBoundsProposal.STRUCT).address(p.account()).uint32(p.instrument())
                    .uint64(p.floorPpm()).uint64(p.ceilingPpm()).uint64(p.maxChangePerHourPpm()).uint64(p.hysteresisPpm())
                    .uint64(p.noticeMillis()).uint64(p.nonce()).hash();
        } else if (message instanceof ProposalVote v) {
            return new Reference(ProposalVote.STRUCT).address(v.account()).uint64(v.proposalId()).uint8(v.action())
                    .uint64(v.nonce()).hash();
        } else if (message instanceof ReadAccess r) {
            return new Reference(ReadAccess.STRUCT).address(r.account()).uint64(r.validUntil()).uint64(r.nonce()).hash();
        }
        throw new AssertionError("no reference for " + message);
    }

    /**
     * {@code keccak256(typeHash || word...)} with each word written out here: addresses left-padded, integers
     * big-endian unsigned, bools 0/1, strings as the Keccak-256 of their UTF-8, bytes32 as they are.
     */
    static final class Reference {
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        /** Starts with the published type string (not the table's), so a wrong table cannot agree with itself. */
        Reference(SignedStruct<?> struct) {
            word(Keccak.hash(TYPE_STRINGS.get(struct).getBytes(StandardCharsets.UTF_8)));
        }

        Reference address(Address address) {
            byte[] word = new byte[32];
            System.arraycopy(address.toBytes(), 0, word, 12, 20);
            return word(word);
        }

        Reference uint64(long value) {
            return unsigned(new BigInteger(Long.toUnsignedString(value)));
        }

        Reference uint32(int value) {
            return unsigned(BigInteger.valueOf(value & 0xFFFF_FFFFL));
        }

        Reference uint8(int value) {
            assertTrue(value >= 0 && value <= 255);
            return unsigned(BigInteger.valueOf(value));
        }

        Reference bool(boolean value) {
            return unsigned(value ? BigInteger.ONE : BigInteger.ZERO);
        }

        Reference string(String value) {
            return word(Keccak.hash(value.getBytes(StandardCharsets.UTF_8)));
        }

        Reference bytes32(byte[] value) {
            assertEquals(32, value.length);
            return word(value);
        }

        byte[] hash() {
            return Keccak.hash(data.toByteArray());
        }

        private Reference unsigned(BigInteger value) {
            byte[] word = new byte[32];
            byte[] magnitude = value.toByteArray();
            int length = Math.min(magnitude.length, 32);
            System.arraycopy(magnitude, magnitude.length - length, word, 32 - length, length);
            return word(word);
        }

        private Reference word(byte[] word) {
            data.write(word, 0, word.length);
            return this;
        }
    }

    // ---- commands ---------------------------------------------------------------------------------------------------

    /** The record each command type stands for, written out field by field (what SignedCommands built by hand). */
    private static TypedMessage expectedRecord(Command c) {
        Address account = c.address == null ? null : Address.of(c.address);
        return switch (c.type) {
            case PLACE_ORDER -> new OrderRequest(account, c.instrument, c.side == Side.BUY, c.price, c.quantity,
                    code(c.timeInForce), c.reduceOnly, c.clientOrderId, code(c.orderType), c.triggerPrice,
                    code(c.triggerSource), c.expireAt, code(c.postOnly), c.displayQuantity, code(c.selfTradePrevention),
                    c.nonce);
            case CANCEL_ORDER -> new CancelRequest(account, c.instrument, c.orderId, c.clientOrderId, c.nonce);
            case AMEND_ORDER -> c.triggerPrice == 0
                    ? new AmendRequest(account, c.instrument, c.orderId, c.price, c.quantity, c.nonce)
                    : new AmendTriggerRequest(account, c.instrument, c.orderId, c.price, c.quantity, c.triggerPrice,
                    c.nonce);
            case CANCEL_ALL -> new CancelAllRequest(account, c.instrument, c.nonce);
            case WITHDRAW -> new WithdrawRequest(account, c.asset, c.amount, Address.of(c.destination), c.nonce);
            case SET_LEVERAGE -> new SettingsRequest(account, c.instrument, c.leverage, 0, c.nonce);
            case SET_MARGIN_MODE -> new SettingsRequest(account, c.instrument, 0,
                    c.marginMode == null ? 0 : c.marginMode.ordinal() + 1, c.nonce);
            case APPROVE_AGENT -> new ApproveAgent(AgentKey.fromBytes(c.agentKey).value(), c.agentName, c.nonce,
                    c.validUntil);
            case REVOKE_AGENT -> new RevokeAgent(AgentKey.fromBytes(c.agentKey).value(), c.nonce);
            case OPEN_SESSION -> new SessionRequest(account, c.validUntil, c.nonce);
            case PROPOSE_RISK_BOUNDS -> new RiskBoundsProposal(account, c.instrument, c.riskBounds.floorPpm(),
                    c.riskBounds.ceilingPpm(), c.riskBounds.maxChangePerHourPpm(), c.riskBounds.hysteresisPpm(),
                    c.riskBounds.noticeMillis(), c.nonce);
            case APPROVE_PROPOSAL -> new ProposalVote(account, c.proposalId, ProposalVote.APPROVE, c.nonce);
            case CANCEL_PROPOSAL -> new ProposalVote(account, c.proposalId, ProposalVote.CANCEL, c.nonce);
            default -> throw new AssertionError(c.type + " is not signable");
        };
    }

    private static int code(Enum<?> value) {
        return value == null ? 255 : value.ordinal();
    }

    /** A command of {@code type} with every field the structs read set at random (enums sometimes absent). */
    private static Command randomCommand(Random rnd, CommandType type) {
        Command c = new Command();
        c.type = type;
        c.address = bytes(rnd, 20);
        c.instrument = rnd.nextInt();
        c.orderId = rnd.nextLong();
        c.clientOrderId = rnd.nextLong();
        c.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        c.price = rnd.nextLong();
        c.quantity = rnd.nextLong();
        c.timeInForce = pick(rnd, TimeInForce.values());
        c.reduceOnly = rnd.nextBoolean();
        c.orderType = pick(rnd, OrderType.values());
        // An amend keeping its trigger (0) is an Amend, one moving it an AmendTrigger: draw both.
        c.triggerPrice = type == CommandType.AMEND_ORDER && rnd.nextBoolean() ? 0 : rnd.nextLong();
        c.triggerSource = pick(rnd, TriggerSource.values());
        c.expireAt = rnd.nextLong();
        c.postOnly = pick(rnd, PostOnly.values());
        c.displayQuantity = rnd.nextLong();
        c.selfTradePrevention = pick(rnd, SelfTradePrevention.values());
        c.asset = rnd.nextInt();
        c.amount = rnd.nextLong();
        c.destination = bytes(rnd, 20);
        c.leverage = nonZero(rnd);
        c.marginMode = pick(rnd, MarginMode.values());
        c.agentKey = AgentSigner.of(bytes(rnd, 32)).publicKey().toBytes();
        c.agentName = name(rnd);
        c.validUntil = rnd.nextLong();
        c.nonce = rnd.nextLong();
        c.riskBounds = new io.meridian.model.RiskBounds(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(),
                rnd.nextLong());
        c.proposalId = rnd.nextLong();
        return c;
    }

    /** One of {@code values}, or null (absent) one time in five. */
    private static <E> E pick(Random rnd, E[] values) {
        return rnd.nextInt(5) == 0 ? null : values[rnd.nextInt(values.length)];
    }

    private static int uint8(Random rnd) {
        return rnd.nextInt(256);
    }

    private static int nonZero(Random rnd) {
        int value = rnd.nextInt();
        return value == 0 ? 1 : value;
    }

    /** Up to 64 UTF-16 units, mixing ASCII, accented letters, CJK and astral code points (two units each). */
    private static String name(Random rnd) {
        StringBuilder name = new StringBuilder();
        int length = rnd.nextInt(40);
        for (int i = 0; i < length && name.length() < 62; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> name.append((char) ('a' + rnd.nextInt(26)));
                case 1 -> name.append((char) (0xC0 + rnd.nextInt(0x40)));
                case 2 -> name.append((char) (0x4E00 + rnd.nextInt(0x5000)));
                default -> name.appendCodePoint(0x1F600 + rnd.nextInt(0x40));
            }
        }
        return name.toString();
    }

    private static byte[] bytes(Random rnd, int length) {
        byte[] bytes = new byte[length];
        rnd.nextBytes(bytes);
        return bytes;
    }
}
