package io.meridian.auth;

import org.bouncycastle.crypto.digests.SHA3Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeccakAddressTest {

    /** The EIP-55 test cases: all-caps, all-lower and mixed-case checksummed addresses. */
    private static final String[] EIP55 = {
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };

    @Test
    void keccakIsEthereumsNotSha3() {
        assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
                Hex.encode(Keccak.hash(new byte[0])));
        assertEquals("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", Hex.encode(Keccak.hash("abc")));
        // The EIP-712 example's private key is keccak256("cow").
        assertEquals("c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4", Hex.encode(Keccak.hash("cow")));
        SHA3Digest sha3 = new SHA3Digest(256);
        byte[] out = new byte[32];
        sha3.doFinal(out, 0);
        assertEquals("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", Hex.encode(out));
        assertNotEquals(Hex.encode(out), Hex.encode(Keccak.hash(new byte[0])), "padding differs from FIPS 202");
        assertArrayEquals(Keccak.hash("ab".getBytes(StandardCharsets.UTF_8), "c".getBytes(StandardCharsets.UTF_8)),
                Keccak.hash("abc"), "parts are concatenated");
    }

    @Test
    void addressOfAPrivateKey() {
        assertEquals("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
                Secp256k1PrivateKey.of(Hex.decode("00".repeat(31) + "01")).address().toString(), "private key 1");
        Secp256k1PrivateKey cow = Secp256k1PrivateKey.of(Keccak.hash("cow"));
        assertEquals("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", cow.address().toChecksumHex());
        assertEquals("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826", cow.address().toLowerHex());
        byte[] prefixed = new byte[65];
        prefixed[0] = 0x04;
        System.arraycopy(cow.publicKey(), 0, prefixed, 1, 64);
        assertEquals(cow.address(), Address.fromPublicKey(prefixed));
    }

    @Test
    void eip55ChecksumVectorsRoundTrip() {
        for (String vector : EIP55) {
            Outcome<Address> parsed = Address.parse(vector);
            assertTrue(parsed.isOk(), vector + " " + parsed);
            assertEquals(vector, parsed.value().toChecksumHex());
            assertEquals(parsed.value(), Address.parse(vector.toLowerCase()).value(), "lower case carries no checksum");
            assertEquals(parsed.value(), Address.parse("0x" + vector.substring(2).toUpperCase()).value(), "upper too");
        }
    }

    @Test
    void parsingIsStrict() {
        assertReject(null, "missing");
        assertReject("", "0x");
        assertReject("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x");
        assertReject("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x");
        assertReject("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "40 hex digits");
        assertReject("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", "40 hex digits");
        assertReject("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "non-hex");
        assertReject("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe ", "non-hex");
        // One letter's case flipped: mixed case that fails the checksum.
        assertReject("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAEd", "checksum");
        assertReject("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "checksum");
    }

    private static void assertReject(String text, String messagePart) {
        Outcome<Address> parsed = Address.parse(text);
        assertFalse(parsed.isOk(), text);
        assertEquals(AuthReject.MALFORMED, parsed.verdict().reason());
        assertTrue(parsed.verdict().message().contains(messagePart), parsed.verdict().message());
    }

    @Test
    void hexDecodingNeverThrowsOnBadInput() {
        assertArrayEquals(new byte[] {0x0a, (byte) 0xFF}, Hex.decodeOrNull("0x0aFf"));
        assertArrayEquals(new byte[] {0x0a, (byte) 0xFF}, Hex.decodeOrNull("0X0aFf"), "either case of the prefix");
        assertArrayEquals(new byte[0], Hex.decodeOrNull("0x"));
        assertEquals(null, Hex.decodeOrNull("0x0"));
        assertEquals(null, Hex.decodeOrNull("zz"));
        assertEquals(null, Hex.decodeOrNull(null));
    }

    @Test
    void theLikelyAddressOrKeyIsReusedOnlyWhenItHoldsTheSameBytes() {
        byte[] bytes = Hex.decodeOrNull("52908400098527886E0F7030069857D2E4169EE7");
        Address first = Address.of(bytes);
        byte[] sameBytes = bytes.clone();
        assertSame(first, Address.of(sameBytes, first), "same bytes: the kept address, no copy");
        byte[] other = bytes.clone();
        other[19] ^= 1;
        Address changed = Address.of(other, first);
        assertNotSame(first, changed);
        assertEquals(Address.of(other), changed);
        assertEquals(first, Address.of(bytes, null));
        assertThrows(IllegalArgumentException.class, () -> Address.of(new byte[19], first));
        // The kept address is a copy: changing the caller's array afterwards does not change it.
        sameBytes[0] ^= 1;
        assertEquals(Address.of(bytes), first);

        byte[] key = new byte[AgentKey.BYTES];
        key[3] = 7;
        AgentKey agent = AgentKey.unchecked(key);
        assertSame(agent, AgentKey.unchecked(key.clone(), agent));
        byte[] otherKey = key.clone();
        otherKey[0] = 1;
        assertEquals(AgentKey.unchecked(otherKey), AgentKey.unchecked(otherKey, agent));
        assertNotSame(agent, AgentKey.unchecked(otherKey, agent));
        assertThrows(IllegalArgumentException.class, () -> AgentKey.unchecked(new byte[31], agent));
    }
}
