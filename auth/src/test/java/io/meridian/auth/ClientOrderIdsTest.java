package io.meridian.auth;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client order id key function (docs/auth.md, "Client order ids"): the published test vectors, which
 * client/interop recomputes with ethers' keccak256, the rule on texts, and properties: a plain number below 2^62 is its
 * own key, every other text lands in [2^62, 2^63), and the allocation-free engine variant agrees with the static one.
 */
class ClientOrderIdsTest {
    /** docs/auth.md's vectors, text and key, in its table's order. */
    static final String[][] VECTORS = {
        {"7", "7"},
        {"1733500000000000000", "1733500000000000000"},
        {"4611686018427387903", "4611686018427387903"},
        {"4611686018427387904", "6644655838381443108"},
        {"0", "4920273520152325605"},
        {"007", "7903762884047831146"},
        {"550e8400-e29b-41d4-a716-446655440000", "8032060622648495802"},
        {"my-order:1/2_a.b", "8743811045610530646"},
    };

    @Test
    void thePublishedVectors() {
        for (String[] v : VECTORS) {
            assertEquals(Long.parseLong(v[1]), ClientOrderIds.key(v[0]), v[0]);
            assertEquals(Long.parseLong(v[1]), new ClientOrderIds.Keys().keyOfValid(v[0]), v[0]);
        }
        // The worked example: keccak256("550e8400-e29b-41d4-a716-446655440000") starts 2f779c94a35dceba; its low 62 bits
        // with bit 62 set are 0x6f779c94a35dceba.
        assertEquals("2f779c94a35dceba", Hex.encode(Keccak.hash("550e8400-e29b-41d4-a716-446655440000")).substring(0, 16));
        assertEquals(0x6f779c94a35dcebaL, ClientOrderIds.key("550e8400-e29b-41d4-a716-446655440000"));
    }

    @Test
    void theRuleOnTexts() {
        assertNull(ClientOrderIds.problem("A-Za-z0-9._:/-"));
        assertNull(ClientOrderIds.problem("x".repeat(36)));
        assertTrue(ClientOrderIds.problem("").contains("must not be empty"));
        assertTrue(ClientOrderIds.problem("x".repeat(37)).contains("too long (37 characters)"));
        for (String bad : new String[] {"a b", "a+b", "é", "a\u0000", "a\"b", "a\\b", "a#b", "a,b", "{}"}) {
            assertFalse(ClientOrderIds.isValid(bad), bad);
            assertTrue(ClientOrderIds.problem(bad).contains("is not allowed: 1 to 36 characters of A-Z a-z 0-9 . _ : / -"),
                    bad);
            assertThrows(IllegalArgumentException.class, () -> ClientOrderIds.key(bad));
        }
        assertFalse(ClientOrderIds.isValid(null));
        assertTrue(ClientOrderIds.isValidNumber(1));
        assertTrue(ClientOrderIds.isValidNumber(ClientOrderIds.TEXT_KEY_BASE - 1));
        assertFalse(ClientOrderIds.isValidNumber(ClientOrderIds.TEXT_KEY_BASE));
        assertFalse(ClientOrderIds.isValidNumber(0));
        assertFalse(ClientOrderIds.isValidNumber(-7));
        // Plain numbers: no sign, no leading zero, no padding, below 2^62; 19 digits do not overflow.
        assertEquals(0, ClientOrderIds.plainNumber("9999999999999999999"));
        assertEquals(0, ClientOrderIds.plainNumber("+1"));
        assertEquals(0, ClientOrderIds.plainNumber("01"));
        assertEquals(1_000_000_000_000_000_000L, ClientOrderIds.plainNumber("1000000000000000000"));
    }

    @Property(tries = 500)
    void aPlainNumberBelow2To62IsItsOwnKey(@ForAll @LongRange(min = 1, max = (1L << 62) - 1) long number) {
        assertEquals(number, ClientOrderIds.key(Long.toString(number)));
        assertFalse(ClientOrderIds.isTextKey(number));
    }

    @Property(tries = 1000)
    void everyOtherTextLandsInTheTextRangeStably(@ForAll("texts") String text) {
        long key = ClientOrderIds.key(text);
        boolean plain = text.matches("[1-9][0-9]{0,18}") && new BigInteger(text).compareTo(BigInteger.ONE.shiftLeft(62)) < 0;
        if (plain) {
            assertEquals(Long.parseLong(text), key);
        } else {
            assertTrue(key >= ClientOrderIds.TEXT_KEY_BASE && key > 0, text + " -> " + key);
            assertEquals(ClientOrderIds.TEXT_KEY_BASE | (new BigInteger(1, Keccak.hash(text)).shiftRight(192).longValue()
                    & ((1L << 62) - 1)), key, "the documented formula");
        }
        assertEquals(key, ClientOrderIds.key(new String(text.toCharArray())), "stable");
        ClientOrderIds.Keys keys = new ClientOrderIds.Keys();
        assertEquals(key, keys.keyOfValid(text), "the engine's variant");
        assertEquals(key, keys.keyOfValid(text), "the engine's variant, reused");
        assertTrue(keys.matches(text, key));
        assertFalse(keys.matches(text, key ^ 1));
    }

    @Property(tries = 300)
    void numbersOfTwoTo62AndUpAreHashedLikeAnyText(@ForAll @LongRange(min = 1L << 62, max = Long.MAX_VALUE) long n) {
        assertTrue(ClientOrderIds.isTextKey(ClientOrderIds.key(Long.toString(n))));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> any = Arbitraries.strings().withChars("ABCXYZabcxyz0123456789._:/-").ofMinLength(1)
                .ofMaxLength(36);
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> uuids = Arbitraries.randomValue(r -> new java.util.UUID(r.nextLong(), r.nextLong()).toString());
        return Arbitraries.oneOf(any, digits, uuids);
    }
}
