package io.meridian.auth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8032 section 7.1 test vectors for Ed25519: secret key, public key, message, signature. */
class Ed25519Test {

    @Test
    void test1EmptyMessage() {
        vector("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void test2OneByte() {
        vector("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    }

    @Test
    void test3TwoBytes() {
        vector("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                        + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a");
    }

    @Test
    void testShaAbc() throws NoSuchAlgorithmException {
        String message = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
        byte[] sha512 = MessageDigest.getInstance("SHA-512").digest("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(message, Hex.encode(sha512), "the message is SHA-512(\"abc\")");
        vector("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
                "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
                message,
                "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
                        + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704");
    }

    private static void vector(String secret, String publicKey, String message, String signature) {
        AgentSigner signer = AgentSigner.of(Hex.decode(secret));
        assertEquals(publicKey, Hex.encode(signer.publicKey().toBytes()));
        byte[] sig = signer.sign(Hex.decode(message));
        assertEquals(signature, Hex.encode(sig));
        AgentKey key = AgentKey.parseHex(publicKey).value();
        assertTrue(key.verify(Hex.decode(message), Hex.decode(signature)));
        byte[] tampered = Hex.decode(signature);
        tampered[0] ^= 1;
        assertFalse(key.verify(Hex.decode(message), tampered));
        assertFalse(key.verify(TestBytes.concat(Hex.decode(message), new byte[] {0}), sig), "other message");
    }

    @Test
    void badKeysAndSignaturesAreCleanRejects() {
        assertEquals(AuthReject.MALFORMED, AgentKey.fromBytes(new byte[31]).verdict().reason());
        assertEquals(AuthReject.MALFORMED, AgentKey.fromBytes(null).verdict().reason());
        assertEquals(AuthReject.MALFORMED, AgentKey.parseHex("0xzz").verdict().reason());
        // y = 2 has no x on the curve: not a point, so not a key.
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        Outcome<AgentKey> parsed = AgentKey.fromBytes(notAPoint);
        assertFalse(parsed.isOk(), "y=2 is not on edwards25519");
        AgentKey key = AgentSigner.of(new byte[32]).publicKey();
        assertFalse(key.verify(new byte[32], new byte[63]));
        assertFalse(key.verify(new byte[32], null));
        assertFalse(key.verify(null, new byte[64]));
        assertArrayEquals(key.toBytes(), AgentKey.of(key.toBytes()).toBytes());
    }

    @Test
    void nonCanonicalScalarIsRejected() {
        AgentSigner signer = AgentSigner.of(Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        byte[] message = {1, 2, 3};
        byte[] sig = signer.sign(message);
        // S + L encodes the same scalar mod L; RFC 8032 requires S < L, which closes this malleability.
        BigInteger l = BigInteger.ONE.shiftLeft(252)
                .add(new BigInteger("27742317777372353535851937790883648493"));
        byte[] sLittle = Arrays.copyOfRange(sig, 32, 64);
        byte[] sBig = reverse(sLittle);
        BigInteger s = new BigInteger(1, sBig).add(l);
        byte[] sPlusL = reverse(Abi.word(s));
        byte[] forged = TestBytes.concat(Arrays.copyOf(sig, 32), sPlusL);
        assertTrue(signer.publicKey().verify(message, sig));
        assertFalse(signer.publicKey().verify(message, forged));
    }

    private static byte[] reverse(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }

    @Test
    void anUncheckedKeyEqualsTheCheckedOneAndVerifiesLikeIt() {
        AgentSigner signer = AgentSigner.of(new byte[32]);
        byte[] message = "order".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(message);
        AgentKey unchecked = AgentKey.unchecked(signer.publicKey().toBytes());
        assertEquals(signer.publicKey(), unchecked);
        assertEquals(0, signer.publicKey().compareTo(unchecked));
        assertTrue(unchecked.verify(message, signature));
        assertFalse(unchecked.verify("other".getBytes(StandardCharsets.UTF_8), signature));
        // Bytes that are not a curve point: fromBytes refuses them, an unchecked key simply never verifies.
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xFF);
        notAPoint[31] = 0x7F;
        assertFalse(AgentKey.fromBytes(notAPoint).isOk());
        assertFalse(AgentKey.unchecked(notAPoint).verify(message, signature));
    }

}
