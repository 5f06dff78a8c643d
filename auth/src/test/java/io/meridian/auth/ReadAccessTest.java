package io.meridian.auth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read tokens: their EIP-712 type, text form, and that no other signature passes for one. */
class ReadAccessTest {
    private static final Eip712Domain DOMAIN = MeridianTypes.domain(1337,
            Address.parseOrThrow("0x000000000000000000000000000000000000dEaD"));
    private static final Secp256k1PrivateKey OWNER = Secp256k1PrivateKey.of(fill(0x11));
    private static final AgentSigner AGENT = AgentSigner.of(fill(0x33));

    @Test
    void theTypeIsItsOwnStructWithTheSessionsFields() {
        assertArrayEquals(Keccak.hash("ReadAccess(address account,uint64 validUntil,uint64 nonce)"),
                ReadAccess.STRUCT.typeHash());
        ReadAccess read = new ReadAccess(OWNER.address(), 5, 7);
        SessionRequest login = new SessionRequest(OWNER.address(), 5, 7);
        assertFalse(Arrays.equals(read.digest(DOMAIN), login.digest(DOMAIN)),
                "a login's signature can never pass for a read token, nor the other way");
    }

    @Test
    void anOwnersTokenRoundTripsThroughTextAndVerifies() {
        ReadAccess.Token token = ReadAccess.signAsOwner(DOMAIN, OWNER, 1_800_000_000_000L, 42);
        Outcome<ReadAccess.Token> parsed = ReadAccess.parseToken(token.text());
        assertTrue(parsed.isOk(), parsed.toString());
        assertEquals(token.access(), parsed.value().access());
        assertTrue(parsed.value().verify(DOMAIN).isOk());
        Eip712Domain otherVenue = MeridianTypes.domain(1, Address.parseOrThrow(
                "0x000000000000000000000000000000000000bEEF"));
        assertFalse(parsed.value().verify(otherVenue).isOk(), "a token is good on one venue only");
    }

    @Test
    void anAgentsTokenCarriesItsKey() {
        ReadAccess.Token token = ReadAccess.signAsAgent(DOMAIN, OWNER.address(), AGENT, 1_800_000_000_000L, 1);
        ReadAccess.Token parsed = ReadAccess.parseToken(token.text()).value();
        assertEquals(AGENT.publicKey(), ((AgentSignature) parsed.signature()).agentKey());
        assertTrue(parsed.verify(DOMAIN).isOk());
    }

    @Test
    void aTokenForOneAccountOrTimeDoesNotVerifyForAnother() {
        String text = ReadAccess.signAsOwner(DOMAIN, OWNER, 1_800_000_000_000L, 42).text();
        String[] parts = text.split("\\.");
        String longer = parts[0] + ".1800000000001." + parts[2] + "." + parts[3];
        assertFalse(ReadAccess.parseToken(longer).value().verify(DOMAIN).isOk(), "validUntil is signed");
        String other = Secp256k1PrivateKey.of(fill(0x22)).address().toChecksumHex() + "." + parts[1] + "." + parts[2]
                + "." + parts[3];
        assertFalse(ReadAccess.parseToken(other).value().verify(DOMAIN).isOk(), "the account is signed");
    }

    @Test
    void malformedTokensAreRefusedWithAReason() {
        String good = ReadAccess.signAsOwner(DOMAIN, OWNER, 1_800_000_000_000L, 42).text();
        String[] parts = good.split("\\.");
        for (String bad : new String[] {"", "x", "a.b.c.d", parts[0] + ".-1." + parts[2] + "." + parts[3],
                parts[0] + ". 5." + parts[2] + "." + parts[3], parts[0] + ".99999999999999999999999." + parts[2] + "."
                + parts[3], parts[0] + "." + parts[1] + "." + parts[2] + ".zz", good + ".00", good + ".",
                "0".repeat(ReadAccess.MAX_TOKEN_CHARS + 1)}) {
            Outcome<ReadAccess.Token> parsed = ReadAccess.parseToken(bad);
            assertFalse(parsed.isOk(), "refused: " + bad);
            assertEquals(AuthReject.MALFORMED, parsed.verdict().reason());
        }
    }

    private static byte[] fill(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
