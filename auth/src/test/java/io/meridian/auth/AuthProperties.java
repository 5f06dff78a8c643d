package io.meridian.auth;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the signatures, the nonce rule and the parsers; jqwik prints its seed on failure. */
class AuthProperties {

    private static final byte[] SOME_DIGEST = Keccak.hash("some digest");

    // ---- secp256k1 ------------------------------------------------------------------------------------------------

    @Property(tries = 150)
    void signThenRecoverGivesTheSigner(@ForAll @Size(32) byte[] key, @ForAll @Size(32) byte[] digest) {
        Secp256k1PrivateKey signer = validKey(key);
        EcdsaSignature signature = signer.sign(digest);
        assertTrue(signature.s().compareTo(Secp256k1.HALF_N) <= 0, "low s");
        assertEquals(signer.address(), Secp256k1.recover(digest, signature).value());
        assertEquals(signature, EcdsaSignature.fromBytes(signature.toBytes()).value(), "65-byte round trip");
    }

    @Property(tries = 150)
    void aFlippedDigestBitNeverVerifies(@ForAll @Size(32) byte[] key, @ForAll @Size(32) byte[] digest,
                                        @ForAll @IntRange(min = 0, max = 255) int bit) {
        Secp256k1PrivateKey signer = validKey(key);
        EcdsaSignature signature = signer.sign(digest);
        Verdict verdict = Secp256k1.verify(TestBytes.flipBit(digest, bit), signature, signer.address());
        assertFalse(verdict.isOk());
        assertTrue(verdict.reason() == AuthReject.WRONG_SIGNER || verdict.reason() == AuthReject.BAD_SIGNATURE,
                verdict.toString());
    }

    @Property(tries = 200)
    void aFlippedSignatureBitNeverVerifies(@ForAll @Size(32) byte[] key, @ForAll @Size(32) byte[] digest,
                                           @ForAll @IntRange(min = 0, max = 8 * EcdsaSignature.BYTES - 1) int bit) {
        Secp256k1PrivateKey signer = validKey(key);
        byte[] flipped = TestBytes.flipBit(signer.sign(digest).toBytes(), bit);
        Outcome<EcdsaSignature> parsed = EcdsaSignature.fromBytes(flipped);
        assertTrue(parsed.isOk(), "any 65 bytes parse");
        Verdict verdict = Secp256k1.verify(digest, parsed.value(), signer.address());
        assertFalse(verdict.isOk(), "bit " + bit);
        assertFalse(verdict.message().isEmpty());
    }

    private static Secp256k1PrivateKey validKey(byte[] key) {
        BigInteger d = new BigInteger(1, key);
        Assume.that(d.signum() > 0 && d.compareTo(Secp256k1.N) < 0);
        return Secp256k1PrivateKey.of(key);
    }

    // ---- Ed25519 --------------------------------------------------------------------------------------------------

    @Property(tries = 200)
    void agentSignaturesVerifyAndAnyFlippedBitFails(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 80) byte[] message,
                                                    @ForAll @IntRange(min = 0, max = 511) int bit) {
        AgentSigner signer = AgentSigner.of(seed);
        byte[] signature = signer.sign(message);
        AgentKey key = AgentKey.fromBytes(signer.publicKey().toBytes()).value();
        assertTrue(key.verify(message, signature));
        assertFalse(key.verify(message, TestBytes.flipBit(signature, bit)), "signature bit " + bit);
        if (message.length > 0) {
            assertFalse(key.verify(TestBytes.flipBit(message, bit % (8 * message.length)), signature), "message bit");
        }
    }

    // ---- parsers never throw --------------------------------------------------------------------------------------

    @Property(tries = 2000)
    void anyStringParsesToAnAddressOrAReject(@ForAll("addressLike") String text) {
        Outcome<Address> parsed = Address.parse(text);
        if (parsed.isOk()) {
            assertEquals(parsed.value(), Address.parse(parsed.value().toChecksumHex()).value());
            assertTrue(text.equalsIgnoreCase(parsed.value().toChecksumHex()));
        } else {
            assertEquals(AuthReject.MALFORMED, parsed.verdict().reason());
            assertFalse(parsed.verdict().message().isEmpty());
        }
    }

    @Property(tries = 1000)
    void anyCaseChangeOfAChecksummedAddressIsCaughtOrUniform(@ForAll @Size(20) byte[] bytes,
                                                            @ForAll @IntRange(min = 0, max = 39) int position) {
        String good = Address.of(bytes).toChecksumHex();
        char c = good.charAt(2 + position);
        Assume.that(Character.isLetter(c));
        char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        String bad = good.substring(0, 2 + position) + swapped + good.substring(3 + position);
        String digits = bad.substring(2);
        boolean uniform = digits.equals(digits.toLowerCase()) || digits.equals(digits.toUpperCase());
        Outcome<Address> parsed = Address.parse(bad);
        assertEquals(uniform, parsed.isOk(), bad);
    }

    @Provide
    Arbitrary<String> addressLike() {
        Arbitrary<String> hexish = Arbitraries.strings().withChars("0123456789abcdefABCDEFxgG ").ofMinLength(0)
                .ofMaxLength(44);
        Arbitrary<String> prefixed = hexish.map(s -> "0x" + s);
        Arbitrary<String> checksummed = Arbitraries.bytes().array(byte[].class).ofSize(20)
                .map(b -> Address.of(b).toChecksumHex());
        return Arbitraries.oneOf(Arbitraries.strings(), hexish, prefixed, checksummed, Arbitraries.just(null));
    }

    @Property(tries = 1000)
    void anyBytesParseToASignatureOrAReject(@ForAll @Size(max = 70) byte[] bytes, @ForAll @Size(max = 70) byte[] digest) {
        Outcome<EcdsaSignature> parsed = EcdsaSignature.fromBytes(bytes);
        if (!parsed.isOk()) {
            assertEquals(AuthReject.MALFORMED, parsed.verdict().reason());
            return;
        }
        Outcome<Address> recovered = Secp256k1.recover(digest, parsed.value());
        assertNotNull(recovered.verdict());
        if (!recovered.isOk()) {
            assertFalse(recovered.verdict().message().isEmpty());
        }
    }

    @Property(tries = 1000)
    void anyStringParsesToASignatureOrAReject(@ForAll String text) {
        Outcome<EcdsaSignature> parsed = EcdsaSignature.parseHex(text);
        assertTrue(parsed.isOk() || parsed.verdict().reason() == AuthReject.MALFORMED);
        Outcome<AgentKey> key = AgentKey.parseHex(text);
        assertTrue(key.isOk() || key.verdict().reason() == AuthReject.MALFORMED);
    }

    @Property(tries = 500)
    void anyBytesAreAnAgentKeyOrARejectAndNeverVerifyJunk(@ForAll @Size(32) byte[] keyBytes,
                                                          @ForAll @Size(max = 70) byte[] signature) {
        Outcome<AgentKey> key = AgentKey.fromBytes(keyBytes);
        if (key.isOk()) {
            assertFalse(key.value().verify(SOME_DIGEST, signature));
        } else {
            assertEquals(AuthReject.MALFORMED, key.verdict().reason());
        }
    }

    @Property(tries = 300)
    void junkSignaturesOnRequestsAreCleanRejects(@ForAll @Size(65) byte[] ecdsa, @ForAll @Size(max = 70) byte[] ed25519,
                                                 @ForAll long nonce, @ForAll boolean byAgent) {
        NonceTracker nonces = new NonceTracker();
        AgentRegistry agents = new AgentRegistry(Fixtures.DOMAIN, nonces);
        assertTrue(agents.apply(Fixtures.approve(Fixtures.OWNER, Fixtures.AGENT, Fixtures.NOW, Fixtures.NOW
                + Fixtures.HOUR), Fixtures.NOW).isOk());
        SignatureVerifier verifier = new SignatureVerifier(Fixtures.DOMAIN, agents, nonces);
        Signature signature = byAgent ? new AgentSignature(Fixtures.AGENT.publicKey(), ed25519)
                : EcdsaSignature.fromBytes(ecdsa).value();
        Verdict verdict = verifier.accept(new SignedRequest(Fixtures.order(Fixtures.OWNER.address(), nonce), signature),
                Fixtures.NOW);
        assertFalse(verdict.isOk());
        assertFalse(verdict.message().isEmpty());
    }

    // ---- typed structs --------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void fixedLayoutHashesMatchTheGenericEncoder(@ForAll @Size(20) byte[] account, @ForAll int instrument,
                                                 @ForAll boolean flag, @ForAll long a, @ForAll long b, @ForAll long c,
                                                 @ForAll @IntRange(min = 0, max = 255) int code,
                                                 @ForAll @Size(32) byte[] seed, @ForAll @StringLength(max = 64) String name) {
        Address address = Address.of(account);
        List<TypedMessage> messages = List.of(
                new OrderRequest(address, instrument, flag, a, b, code, !flag, c, 255 - code, b, code / 2, a, code % 3,
                        c, code, a ^ b),
                new CancelRequest(address, instrument, a, b, c),
                new WithdrawRequest(address, instrument, a, Address.of(Arrays.copyOf(Keccak.hash(account), 20)), b),
                new ApproveAgent(AgentSigner.of(seed).publicKey(), name, a, b),
                new RevokeAgent(AgentSigner.of(seed).publicKey(), c));
        for (TypedMessage message : messages) {
            assertArrayEquals(MeridianTypes.TYPES.hashStruct(message.primaryType(), message.message()),
                    message.structHash(), message.primaryType());
        }
    }

    // ---- nonces ---------------------------------------------------------------------------------------------------

    /** One step of a nonce history: which signer, its nonce relative to now, and how far the clock moves first. */
    record Step(int signer, int nonceOffset, int advance) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(-40, 30), Arbitraries.integers().between(0, 3)).as(Step::new);
        return step.list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void theTrackerMatchesAReferenceAndNeverAcceptsANonceTwice(@ForAll("histories") List<Step> history,
                                                               @ForAll @IntRange(min = 1, max = 12) int window) {
        long maxAge = 30;
        long maxAhead = 20;
        NonceTracker tracker = new NonceTracker(window, maxAge, maxAhead);
        SignerId[] signers = {Fixtures.OWNER.address(), Fixtures.STRANGER.address(), Fixtures.AGENT.publicKey()};
        Map<SignerId, TreeSet<Long>> everAccepted = new HashMap<>();
        long now = 1_000;
        for (Step step : history) {
            now += step.advance();
            SignerId signer = signers[step.signer()];
            long nonce = now + step.nonceOffset();
            TreeSet<Long> accepted = everAccepted.computeIfAbsent(signer, s -> new TreeSet<>());
            AuthReject expected = reference(accepted, window, nonce, now, maxAge, maxAhead);
            Verdict verdict = tracker.accept(signer, nonce, now);
            assertEquals(expected, verdict.reason(), "nonce " + nonce + " at " + now + ": " + verdict);
            if (verdict.isOk()) {
                assertTrue(accepted.add(nonce), "accepted twice: " + nonce);
            }
            assertTrue(tracker.kept(signer).length <= window, "bounded memory");
        }
    }

    /**
     * The rule stated from the whole history: the kept nonces are always the {@code window} highest ever accepted,
     * which is what makes eviction safe.
     */
    static AuthReject reference(TreeSet<Long> accepted, int window, long nonce, long now, long maxAge, long maxAhead) {
        if (nonce < 0 || nonce - now >= maxAhead) {
            return AuthReject.NONCE_TOO_NEW;
        }
        if (now - nonce >= maxAge) {
            return AuthReject.NONCE_TOO_OLD;
        }
        NavigableSet<Long> kept = accepted.descendingSet();
        TreeSet<Long> top = new TreeSet<>();
        for (Long n : kept) {
            if (top.size() == window) {
                break;
            }
            top.add(n);
        }
        if (top.contains(nonce)) {
            return AuthReject.NONCE_REUSED;
        }
        if (top.size() == window && nonce < top.first()) {
            return AuthReject.NONCE_TOO_OLD;
        }
        return null;
    }
}
