package io.meridian.node.access;

import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.ReadAccess;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Read tokens at the gateway: who they cover, for how long, and what they cost to check. */
class ReadTokensTest {
    private static final Eip712Domain DOMAIN = MeridianTypes.domain(1337,
            Address.parseOrThrow("0x000000000000000000000000000000000000dEaD"));
    private static final Secp256k1PrivateKey ALICE = Secp256k1PrivateKey.of(fill(0x11));
    private static final Secp256k1PrivateKey BOB = Secp256k1PrivateKey.of(fill(0x22));
    private static final AgentSigner BOT = AgentSigner.of(fill(0x33));
    private static final long HOUR = 3_600_000L;

    private final MirrorVenue venue = new MirrorVenue();
    private final AtomicInteger verifications = new AtomicInteger();
    private final ReadTokens.Budget budget = () -> {
        verifications.incrementAndGet();
        return 0;
    };
    private final ReadTokens tokens = new ReadTokens(DOMAIN, venue.mirror, HOUR, 1_000);

    private long fund(Secp256k1PrivateKey owner) {
        Command deposit = new Command().deposit(0, MirrorVenue.USDC, 1_000 * MirrorVenue.USD);
        deposit.address = owner.address().toBytes();
        venue.apply(deposit);
        return venue.mirror.accountOf(owner.address());
    }

    @Test
    void anOwnersTokenCoversItsAccountOnlyAndIsVerifiedOnce() throws Exception {
        long alice = fund(ALICE);
        long bob = fund(BOB);
        long now = venue.millis;
        String token = ReadAccess.signAsOwner(DOMAIN, ALICE, now + HOUR / 2, now).text();
        assertEquals(alice, tokens.account(token, now, budget));
        tokens.requireAccount(token, alice, now + 1, budget);
        ReadTokens.Refusal other = assertThrows(ReadTokens.Refusal.class,
                () -> tokens.requireAccount(token, bob, now, budget));
        assertEquals(403, other.status());
        assertEquals(ReadTokens.FORBIDDEN, other.code());
        ReadTokens.Refusal unknown = assertThrows(ReadTokens.Refusal.class,
                () -> tokens.requireAccount(token, 123_456_789L, now, budget));
        assertEquals(other.getMessage(), unknown.getMessage(), "no difference between another's and no account");
        assertEquals(1, verifications.get(), "the curve arithmetic once, however many reads");
    }

    @Test
    void tokensEndAndMayNotLastLong() throws Exception {
        fund(ALICE);
        long now = venue.millis;
        String shortLived = ReadAccess.signAsOwner(DOMAIN, ALICE, now + 1_000, now).text();
        tokens.account(shortLived, now, budget);
        ReadTokens.Refusal ended = assertThrows(ReadTokens.Refusal.class,
                () -> tokens.account(shortLived, now + 1_000, budget));
        assertEquals(ReadTokens.TOKEN_INVALID, ended.code());
        String tooLong = ReadAccess.signAsOwner(DOMAIN, ALICE, now + HOUR + 1, now).text();
        assertEquals(ReadTokens.TOKEN_INVALID,
                assertThrows(ReadTokens.Refusal.class, () -> tokens.account(tooLong, now, budget)).code());
        assertEquals(ReadTokens.TOKEN_REQUIRED,
                assertThrows(ReadTokens.Refusal.class, () -> tokens.account(null, now, budget)).code());
    }

    @Test
    void aForgedTokenIsRefusedAndCostsTheBudget() {
        fund(ALICE);
        long now = venue.millis;
        // Bob signs a token naming Alice's address.
        ReadAccess access = new ReadAccess(ALICE.address(), now + 60_000, now);
        String forged = new ReadAccess.Token(access, BOB.sign(access.digest(DOMAIN))).text();
        assertEquals(ReadTokens.TOKEN_INVALID,
                assertThrows(ReadTokens.Refusal.class, () -> tokens.account(forged, now, budget)).code());
        ReadTokens.Budget empty = () -> 1_000_000;
        ReadTokens.Refusal throttled = assertThrows(ReadTokens.Refusal.class,
                () -> tokens.account(forged, now, empty));
        assertEquals(429, throttled.status());
    }

    @Test
    void anAgentsTokenLastsAsLongAsItsApproval() throws Exception {
        long alice = fund(ALICE);
        long now = venue.millis;
        String token = ReadAccess.signAsAgent(DOMAIN, ALICE.address(), BOT, now + HOUR / 2, now).text();
        assertEquals(ReadTokens.FORBIDDEN,
                assertThrows(ReadTokens.Refusal.class, () -> tokens.account(token, now, budget)).code(),
                "not approved yet");
        venue.apply(agentAction(CommandType.APPROVE_AGENT, now + 1, now + HOUR));
        assertEquals(alice, tokens.account(token, now, budget));
        venue.apply(agentAction(CommandType.REVOKE_AGENT, now + 2, 0));
        assertEquals(ReadTokens.FORBIDDEN,
                assertThrows(ReadTokens.Refusal.class, () -> tokens.account(token, now, budget)).code(),
                "a revoked agent's tokens stop at once, although cached");
    }

    private static Command agentAction(CommandType type, long nonce, long validUntil) {
        Command c = new Command().reset();
        c.type = type;
        c.agentKey = BOT.publicKey().toBytes();
        c.agentName = type == CommandType.APPROVE_AGENT ? "bot" : null;
        c.nonce = nonce;
        c.validUntil = validUntil;
        return SignedCommands.signAsOwner(c, DOMAIN, ALICE);
    }

    private static byte[] fill(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
