package io.meridian.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonceTrackerTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final Address ALICE = Address.parseOrThrow("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    private static final Address BOB = Address.parseOrThrow("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");

    @Test
    void aNonceIsAcceptedOncePerSigner() {
        NonceTracker nonces = new NonceTracker();
        assertTrue(nonces.accept(ALICE, NOW, NOW).isOk());
        Verdict again = nonces.accept(ALICE, NOW, NOW + 5);
        assertEquals(AuthReject.NONCE_REUSED, again.reason());
        assertTrue(again.message().contains("already used"));
        assertTrue(nonces.accept(BOB, NOW, NOW).isOk(), "signers have separate windows");
        assertTrue(nonces.accept(ALICE, NOW - 10, NOW).isOk(), "out of order is fine while the window has room");
    }

    @Test
    void checkChangesNothing() {
        NonceTracker nonces = new NonceTracker();
        assertTrue(nonces.check(ALICE, NOW, NOW).isOk());
        assertTrue(nonces.check(ALICE, NOW, NOW).isOk());
        assertEquals(0, nonces.signers());
        Verdict rejected = nonces.accept(ALICE, NOW + NonceTracker.DEFAULT_MAX_AHEAD_MILLIS, NOW);
        assertEquals(AuthReject.NONCE_TOO_NEW, rejected.reason());
        assertEquals(0, nonces.signers(), "a reject records nothing");
    }

    @Test
    void timeBoundsAreTwoDaysBackAndOneDayAhead() {
        NonceTracker nonces = new NonceTracker();
        long day = 24L * 60 * 60 * 1000;
        assertEquals(AuthReject.NONCE_TOO_OLD, nonces.check(ALICE, NOW - 2 * day, NOW).reason());
        assertTrue(nonces.check(ALICE, NOW - 2 * day + 1, NOW).isOk());
        assertEquals(AuthReject.NONCE_TOO_NEW, nonces.check(ALICE, NOW + day, NOW).reason());
        assertTrue(nonces.check(ALICE, NOW + day - 1, NOW).isOk());
        assertEquals(AuthReject.NONCE_TOO_NEW, nonces.check(ALICE, -1, NOW).reason(), "2^64 - 1 as uint64");
        assertEquals(AuthReject.NONCE_TOO_NEW, nonces.check(ALICE, Long.MIN_VALUE, NOW).reason());
        assertThrows(IllegalArgumentException.class, () -> nonces.check(ALICE, 1, -1));
    }

    @Test
    void aFullWindowKeepsTheHighestAndRefusesBelowItsSmallest() {
        NonceTracker nonces = new NonceTracker(3, 1_000_000, 1_000_000);
        for (long n : new long[] {NOW + 5, NOW + 1, NOW + 3}) {
            assertTrue(nonces.accept(ALICE, n, NOW).isOk());
        }
        assertArrayEquals(new long[] {NOW + 1, NOW + 3, NOW + 5}, nonces.kept(ALICE));
        Verdict below = nonces.accept(ALICE, NOW, NOW);
        assertEquals(AuthReject.NONCE_TOO_OLD, below.reason());
        assertTrue(below.message().contains("smallest"), below.message());
        assertEquals(AuthReject.NONCE_REUSED, nonces.accept(ALICE, NOW + 1, NOW).reason());
        assertTrue(nonces.accept(ALICE, NOW + 2, NOW).isOk(), "between kept nonces, above the smallest");
        assertArrayEquals(new long[] {NOW + 2, NOW + 3, NOW + 5}, nonces.kept(ALICE));
        assertEquals(AuthReject.NONCE_TOO_OLD, nonces.accept(ALICE, NOW + 1, NOW).reason(), "evicted stays refused");
        assertTrue(nonces.accept(ALICE, NOW + 9, NOW).isOk());
        assertArrayEquals(new long[] {NOW + 3, NOW + 5, NOW + 9}, nonces.kept(ALICE));
    }

    @Test
    void defaultWindowIsOneHundred() {
        NonceTracker nonces = new NonceTracker();
        for (int i = 0; i < 150; i++) {
            assertTrue(nonces.accept(ALICE, NOW + i, NOW).isOk());
        }
        assertEquals(100, nonces.kept(ALICE).length);
        assertEquals(NOW + 50, nonces.kept(ALICE)[0]);
        assertEquals(AuthReject.NONCE_TOO_OLD, nonces.accept(ALICE, NOW + 49, NOW).reason());
    }
}
