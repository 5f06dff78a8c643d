package io.meridian.auth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Secp256k1Test {

    private static final byte[] DIGEST = Hex.decode(Eip712MailTest.DIGEST);
    private static final Secp256k1PrivateKey COW = Secp256k1PrivateKey.of(Keccak.hash("cow"));
    private static final EcdsaSignature MAIL_SIGNATURE = COW.sign(DIGEST);

    @Test
    void signingIsDeterministicAndLowS() {
        assertEquals(MAIL_SIGNATURE, COW.sign(DIGEST), "RFC 6979: same key and digest, same signature");
        for (int i = 0; i < 50; i++) {
            EcdsaSignature signature = COW.sign(Keccak.hash("message " + i));
            assertTrue(signature.s().compareTo(Secp256k1.HALF_N) <= 0, "low s");
            assertTrue(signature.v() == 27 || signature.v() == 28);
            assertEquals(COW.address(), Secp256k1.recover(Keccak.hash("message " + i), signature).value());
        }
    }

    @Test
    void recoveryIdsZeroAndOneAreAccepted() {
        EcdsaSignature zeroBased = new EcdsaSignature(MAIL_SIGNATURE.r(), MAIL_SIGNATURE.s(), MAIL_SIGNATURE.v() - 27);
        assertEquals(COW.address(), Secp256k1.recover(DIGEST, zeroBased).value());
        assertTrue(Secp256k1.verify(DIGEST, zeroBased, COW.address()).isOk());
        EcdsaSignature otherParity = new EcdsaSignature(MAIL_SIGNATURE.r(), MAIL_SIGNATURE.s(), 55 - MAIL_SIGNATURE.v());
        Outcome<Address> other = Secp256k1.recover(DIGEST, otherParity);
        assertTrue(other.isOk(), "the other parity recovers some key");
        assertFalse(other.value().equals(COW.address()));
        assertEquals(AuthReject.WRONG_SIGNER, Secp256k1.verify(DIGEST, otherParity, COW.address()).reason());
    }

    @Test
    void highSIsRejectedAsMalleable() {
        // (r, n - s) with the opposite parity is the same signature's twin: mathematically valid, refused by rule.
        EcdsaSignature twin = new EcdsaSignature(MAIL_SIGNATURE.r(), Secp256k1.N.subtract(MAIL_SIGNATURE.s()),
                55 - MAIL_SIGNATURE.v());
        Verdict verdict = Secp256k1.verify(DIGEST, twin, COW.address());
        assertEquals(AuthReject.MALLEABLE_SIGNATURE, verdict.reason(), verdict.toString());
        assertTrue(verdict.message().contains("n/2"));
        byte[] key = Secp256k1.recoverPublicKey(DIGEST, twin.r(), twin.s(), twin.v() - 27);
        assertEquals(COW.address(), Address.fromPublicKey(key), "the twin does recover Cow: that is the malleability");
    }

    @Test
    void outOfRangeValuesAreRejectedWithReasons() {
        BigInteger r = MAIL_SIGNATURE.r();
        BigInteger s = MAIL_SIGNATURE.s();
        assertReject(new EcdsaSignature(BigInteger.ZERO, s, 27), AuthReject.BAD_SIGNATURE, "r must be");
        assertReject(new EcdsaSignature(Secp256k1.N, s, 27), AuthReject.BAD_SIGNATURE, "r must be");
        assertReject(new EcdsaSignature(r, BigInteger.ZERO, 27), AuthReject.BAD_SIGNATURE, "s must be");
        assertReject(new EcdsaSignature(r, Secp256k1.N, 27), AuthReject.BAD_SIGNATURE, "s must be");
        assertReject(new EcdsaSignature(r, s, 29), AuthReject.MALFORMED, "v must be");
        assertReject(new EcdsaSignature(r, s, 2), AuthReject.MALFORMED, "v must be");
        assertEquals(AuthReject.MALFORMED, Secp256k1.recover(new byte[31], MAIL_SIGNATURE).verdict().reason());
        assertThrows(IllegalArgumentException.class, () -> new EcdsaSignature(BigInteger.ONE.shiftLeft(256), s, 27));
        assertThrows(IllegalArgumentException.class, () -> new EcdsaSignature(r, s, 256));
    }

    @Test
    void rThatIsNotAnXCoordinateIsABadSignature() {
        // About half of all x values have no point on the curve; find the smallest such r.
        BigInteger r = BigInteger.ONE;
        while (Secp256k1.recoverPublicKey(DIGEST, r, BigInteger.ONE, 0) != null) {
            r = r.add(BigInteger.ONE);
        }
        Outcome<Address> recovered = Secp256k1.recover(DIGEST, new EcdsaSignature(r, BigInteger.ONE, 27));
        assertEquals(AuthReject.BAD_SIGNATURE, recovered.verdict().reason());
        assertTrue(recovered.verdict().message().contains("no public key"));
    }

    private static void assertReject(EcdsaSignature signature, AuthReject reason, String messagePart) {
        Outcome<Address> recovered = Secp256k1.recover(DIGEST, signature);
        assertEquals(reason, recovered.verdict().reason(), recovered.toString());
        assertTrue(recovered.verdict().message().contains(messagePart), recovered.verdict().message());
    }

    @Test
    void bytesRoundTripAndParseRejects() {
        assertEquals(MAIL_SIGNATURE, EcdsaSignature.fromBytes(MAIL_SIGNATURE.toBytes()).value());
        assertEquals(MAIL_SIGNATURE, EcdsaSignature.parseHex(MAIL_SIGNATURE.toHex()).value());
        assertEquals(AuthReject.MALFORMED, EcdsaSignature.fromBytes(new byte[64]).verdict().reason());
        assertEquals(AuthReject.MALFORMED, EcdsaSignature.fromBytes(null).verdict().reason());
        assertEquals(AuthReject.MALFORMED, EcdsaSignature.parseHex("0x12345").verdict().reason());
        assertEquals(AuthReject.MALFORMED, EcdsaSignature.parseHex("xyz").verdict().reason());
        EcdsaSignature zeros = EcdsaSignature.fromBytes(new byte[65]).value();
        assertEquals(AuthReject.BAD_SIGNATURE, Secp256k1.recover(DIGEST, zeros).verdict().reason(), "v = 0 is fine, r = 0 not");
    }

    @Test
    void privateKeysOutsideTheGroupAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Secp256k1PrivateKey.of(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1PrivateKey.of(Abi.word(Secp256k1.N)));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1PrivateKey.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> COW.sign(new byte[33]));
        assertFalse(COW.toString().contains(Hex.encode(Keccak.hash("cow"))), "never prints the key");
    }
}
