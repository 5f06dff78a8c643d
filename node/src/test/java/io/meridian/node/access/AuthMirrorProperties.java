package io.meridian.node.access;

import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's pre-checks against the engine that decides: random histories of deposits, signed orders (fresh,
 * replayed, stale, far ahead), agent approvals, revocations and orders by agents, applied to a real {@link Engine} in
 * log order, with the mirror updated after each command as the engine loop does. Whatever the mirror refuses, the
 * engine must refuse too (the mirror may only spare the journal, never change an outcome), and a mirror loaded from the
 * engine's state afterwards must decide exactly like the one kept up to date command by command.
 */
class AuthMirrorProperties {
    private static final int USDC = MirrorVenue.USDC;
    private static final int BTC = MirrorVenue.BTC;
    private static final long USD = MirrorVenue.USD;
    private static final Eip712Domain DOMAIN = MeridianTypes.domain(1337,
            Address.parseOrThrow("0x000000000000000000000000000000000000dEaD"));
    private static final Secp256k1PrivateKey[] OWNERS = {key(0x11), key(0x22), key(0x33)};
    private static final AgentSigner[] AGENTS = {AgentSigner.of(seed(0x44)), AgentSigner.of(seed(0x55))};

    @Property(tries = 40)
    void theMirrorRefusesOnlyWhatTheEngineRefuses(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        System.out.println("AuthMirrorProperties seed " + seed);
        Random random = new Random(seed);
        MirrorVenue venue = new MirrorVenue();
        venue.apply(deposit(OWNERS[0], 50_000 * USD));
        List<Command> applied = new ArrayList<>();
        int refusedByMirror = 0;
        for (int step = 0; step < 60; step++) {
            Command c = nextCommand(random, venue, applied);
            if (c == null) {
                continue;
            }
            // The gateway checks a little before the command is stamped: its clock is at or behind the command's.
            long gatewayMillis = venue.millis - random.nextInt(2_000);
            RejectReason precheck = venue.mirror.precheck(c, gatewayMillis);
            RejectReason decided = venue.apply(c);
            if (precheck != null) {
                refusedByMirror++;
                assertNotNull(decided, "the mirror refused " + precheck + " but the engine accepted " + c.type
                        + " (seed " + seed + ", step " + step + ")");
            }
            applied.add(c);
        }
        AuthMirror loaded = new AuthMirror();
        loaded.load(venue.engine);
        for (Command c : applied) {
            for (long lag : new long[] {0, 1_500}) {
                assertEquals(venue.mirror.precheck(c, venue.millis - lag), loaded.precheck(c, venue.millis - lag),
                        "a loaded mirror decides like the maintained one (seed " + seed + ")");
            }
        }
        System.out.println("AuthMirrorProperties refused by the mirror: " + refusedByMirror + " of 60");
    }

    @Test
    void replaysStrangersAndUnapprovedAgentsAreRefusedBeforeTheJournal() {
        MirrorVenue venue = new MirrorVenue();
        venue.apply(deposit(OWNERS[0], 50_000 * USD));
        Command order = signedOrder(OWNERS[0], venue.millis, 1);
        assertNull(venue.mirror.precheck(order, venue.millis));
        venue.apply(order);
        Command replay = copy(order);
        assertEquals(RejectReason.NONCE_REUSED, venue.mirror.precheck(replay, venue.millis));
        assertEquals(RejectReason.NONCE_REUSED, venue.apply(replay), "and the engine agrees");

        Command stranger = signedOrder(OWNERS[2], venue.millis, 2);
        assertEquals(RejectReason.UNKNOWN_ADDRESS, venue.mirror.precheck(stranger, venue.millis));
        assertEquals(RejectReason.UNKNOWN_ADDRESS, venue.apply(stranger));

        Command byAgent = agentOrder(OWNERS[0], AGENTS[0], venue.millis + 1, 3);
        assertEquals(RejectReason.AGENT_NOT_AUTHORISED, venue.mirror.precheck(byAgent, venue.millis));
        venue.apply(approve(OWNERS[0], AGENTS[0], venue.millis + 2, venue.millis + 60_000));
        Command approved = agentOrder(OWNERS[0], AGENTS[0], venue.millis + 3, 4);
        assertNull(venue.mirror.precheck(approved, venue.millis), "approved once the approval is applied");
        venue.millis += 61_000;
        assertEquals(RejectReason.AGENT_EXPIRED, venue.mirror.precheck(approved, venue.millis));

        Command stale = signedOrder(OWNERS[0], venue.millis - 3L * 24 * 3600 * 1000, 5);
        assertEquals(RejectReason.NONCE_TOO_OLD, venue.mirror.precheck(stale, venue.millis));
        Command ahead = signedOrder(OWNERS[0], venue.millis + 2L * 24 * 3600 * 1000, 6);
        assertEquals(RejectReason.NONCE_TOO_NEW, venue.mirror.precheck(ahead, venue.millis));
        Command aheadWithinSlack = signedOrder(OWNERS[0], venue.millis + 24L * 3600 * 1000 + 1_000, 7);
        assertNull(venue.mirror.precheck(aheadWithinSlack, venue.millis),
                "just past the lead at the gateway's clock, but possibly within it at the command's");
        assertTrue(venue.mirror.accountOf(OWNERS[0].address()) != 0);
    }

    private static Command nextCommand(Random random, MirrorVenue venue, List<Command> applied) {
        int pick = random.nextInt(100);
        Secp256k1PrivateKey owner = OWNERS[random.nextInt(OWNERS.length)];
        AgentSigner agent = AGENTS[random.nextInt(AGENTS.length)];
        long now = venue.millis;
        if (pick < 8) {
            return deposit(owner, (1 + random.nextInt(100)) * 1_000 * USD);
        } else if (pick < 18) {
            // Time passes: a little, or past the agents' approvals, or past the nonce window.
            long[] steps = {1, 700, 30_000, 3_600_000, 3L * 24 * 3_600_000};
            venue.millis += steps[random.nextInt(steps.length)];
            return null;
        } else if (pick < 32 && !applied.isEmpty()) {
            return copy(applied.get(random.nextInt(applied.size())));
        } else if (pick < 42) {
            long validUntil = now + (random.nextBoolean() ? 20_000 : 3_600_000);
            return approve(owner, agent, nonceAround(random, now), validUntil);
        } else if (pick < 48) {
            return revoke(owner, agent, nonceAround(random, now));
        } else if (pick < 70) {
            return agentOrder(owner, agent, nonceAround(random, now), random.nextInt(1_000));
        }
        return signedOrder(owner, nonceAround(random, now), random.nextInt(1_000));
    }

    /** Mostly now-ish and distinct, sometimes far back or far ahead, sometimes a small recent value (likely reused). */
    private static long nonceAround(Random random, long now) {
        return switch (random.nextInt(10)) {
            case 0 -> now - 2L * 24 * 3_600_000 - random.nextInt(5_000) + 2_500;
            case 1 -> now + 24L * 3_600_000 - random.nextInt(10_000) + 5_000;
            case 2 -> now - random.nextInt(5);
            default -> now + random.nextInt(1_000_000);
        };
    }

    private static Command deposit(Secp256k1PrivateKey owner, long amount) {
        Command c = new Command().deposit(0, USDC, amount);
        c.address = owner.address().toBytes();
        return c;
    }

    private static Command signedOrder(Secp256k1PrivateKey owner, long nonce, long clientOrderId) {
        Command c = order(nonce, clientOrderId);
        return SignedCommands.signAsOwner(c, DOMAIN, owner);
    }

    private static Command agentOrder(Secp256k1PrivateKey owner, AgentSigner agent, long nonce, long clientOrderId) {
        Command c = order(nonce, clientOrderId);
        return SignedCommands.signAsAgent(c, DOMAIN, owner.address(), agent);
    }

    private static Command order(long nonce, long clientOrderId) {
        Command c = new Command().limit(0, BTC, 0, Side.BUY, 600_000, 10, TimeInForce.GTC);
        c.clientOrderId = clientOrderId;
        c.nonce = nonce;
        return c;
    }

    private static Command approve(Secp256k1PrivateKey owner, AgentSigner agent, long nonce, long validUntil) {
        Command c = new Command().reset();
        c.type = CommandType.APPROVE_AGENT;
        c.agentKey = agent.publicKey().toBytes();
        c.agentName = "bot";
        c.nonce = nonce;
        c.validUntil = validUntil;
        return SignedCommands.signAsOwner(c, DOMAIN, owner);
    }

    private static Command revoke(Secp256k1PrivateKey owner, AgentSigner agent, long nonce) {
        Command c = new Command().reset();
        c.type = CommandType.REVOKE_AGENT;
        c.agentKey = agent.publicKey().toBytes();
        c.nonce = nonce;
        return SignedCommands.signAsOwner(c, DOMAIN, owner);
    }

    /** The same request again, as a replaying attacker would send it (the engine fills in the account). */
    private static Command copy(Command original) {
        Command c = new Command().reset();
        c.copyFrom(original);
        if (c.address != null) {
            c.account = 0;
        }
        return c;
    }

    private static Secp256k1PrivateKey key(int fill) {
        return Secp256k1PrivateKey.of(seed(fill));
    }

    private static byte[] seed(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return b;
    }
}
