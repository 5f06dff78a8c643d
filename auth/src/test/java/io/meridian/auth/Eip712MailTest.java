package io.meridian.auth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The EIP-712 example, values as published in the EIP's assets/eip-712/Example.js (the "Ether Mail" domain, Cow
 * mailing Bob, signed with keccak256("cow")).
 */
class Eip712MailTest {

    static final Eip712Types MAIL_TYPES = Eip712Types.builder()
            .struct("Mail", "Person from", "Person to", "string contents")
            .struct("Person", "string name", "address wallet")
            .build();
    static final Eip712Domain DOMAIN = Eip712Domain.of("Ether Mail", "1", 1,
            Address.parseOrThrow("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
    static final Map<String, Object> MAIL = Map.of(
            "from", Map.of("name", "Cow", "wallet", Address.parseOrThrow("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")),
            "to", Map.of("name", "Bob", "wallet", Address.parseOrThrow("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")),
            "contents", "Hello, Bob!");
    static final String DIGEST = "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2";

    @Test
    void encodeTypeAndTypeHash() {
        assertEquals("Mail(Person from,Person to,string contents)Person(string name,address wallet)",
                MAIL_TYPES.encodeType("Mail"));
        assertEquals("a0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2",
                Hex.encode(MAIL_TYPES.typeHash("Mail")));
    }

    @Test
    void encodeDataAndHashStruct() {
        assertEquals("a0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2"
                        + "fc71e5fa27ff56c350aa531bc129ebdf613b772b6604664f5d8dbe21b85eb0c8"
                        + "cd54f074a4af31b4411ff6a60c9719dbd559c221c8ac3492d9d872b041d703d1"
                        + "b5aadf3154a261abdd9086fc627b61efca26ae5702701d05cd2305f7c52a2fc8",
                Hex.encode(MAIL_TYPES.encodeData("Mail", MAIL)));
        assertEquals("c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e",
                Hex.encode(MAIL_TYPES.hashStruct("Mail", MAIL)));
    }

    @Test
    void domainSeparatorAndDigest() {
        assertEquals("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
                DOMAIN.encodeType());
        assertEquals("f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", Hex.encode(DOMAIN.separator()));
        assertEquals(DIGEST, Hex.encode(DOMAIN.digest(MAIL_TYPES.hashStruct("Mail", MAIL))));
    }

    @Test
    void signatureByCowIsThePublishedOne() {
        Secp256k1PrivateKey cow = Secp256k1PrivateKey.of(Keccak.hash("cow"));
        EcdsaSignature signature = cow.sign(Hex.decode(DIGEST));
        assertEquals(28, signature.v());
        assertEquals(new BigInteger("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d", 16), signature.r());
        assertEquals(new BigInteger("07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562", 16), signature.s());
        assertEquals("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
                + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c", signature.toHex());
        Outcome<Address> signer = Secp256k1.recover(Hex.decode(DIGEST), signature);
        assertEquals(Address.parseOrThrow("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"), signer.value());
    }

    @Test
    void domainHoldsOnlyTheFieldsThatAreSet() {
        Eip712Domain nameOnly = Eip712Domain.builder().name("Ether Mail").build();
        assertEquals("EIP712Domain(string name)", nameOnly.encodeType());
        Eip712Domain chainAndSalt = Eip712Domain.builder().salt(new byte[32]).chainId(BigInteger.TEN).build();
        assertEquals("EIP712Domain(uint256 chainId,bytes32 salt)", chainAndSalt.encodeType(), "canonical order");
        Eip712Types manual = Eip712Types.builder().struct("EIP712Domain", "uint256 chainId", "bytes32 salt").build();
        assertArrayEquals(manual.hashStruct("EIP712Domain", Map.of("chainId", BigInteger.TEN, "salt", new byte[32])),
                chainAndSalt.separator());
        assertEquals("EIP712Domain()", Eip712Domain.builder().build().encodeType());
    }

    @Test
    void referencedTypesAreSortedAndCollectedTransitively() {
        Eip712Types types = Eip712Types.builder()
                .struct("Zeta", "Alpha a", "uint8 n")
                .struct("Alpha", "Beta b", "Zeta back")
                .struct("Beta", "bool flag")
                .struct("Unused", "bool x")
                .build();
        assertEquals("Zeta(Alpha a,uint8 n)Alpha(Beta b,Zeta back)Beta(bool flag)", types.encodeType("Zeta"));
        assertEquals("Alpha(Beta b,Zeta back)Beta(bool flag)Zeta(Alpha a,uint8 n)", types.encodeType("Alpha"));
    }

    @Test
    void atomicEncodings() {
        Eip712Types types = Eip712Types.builder()
                .struct("T", "int8 a", "int256 b", "uint256 c", "bytes3 d", "bytes e", "bool f")
                .build();
        byte[] data = types.encodeData("T", Map.of("a", -1, "b", BigInteger.valueOf(-2), "c", BigInteger.ONE
                .shiftLeft(256).subtract(BigInteger.ONE), "d", new byte[] {1, 2, 3}, "e", new byte[] {9}, "f", true));
        String hex = Hex.encode(data).substring(64);
        assertEquals("ff".repeat(32), hex.substring(0, 64), "int8 -1 sign-extends over the word");
        assertEquals("ff".repeat(31) + "fe", hex.substring(64, 128));
        assertEquals("ff".repeat(32), hex.substring(128, 192));
        assertEquals("010203" + "00".repeat(29), hex.substring(192, 256), "bytesN is left-aligned");
        assertEquals(Hex.encode(Keccak.hash(new byte[] {9})), hex.substring(256, 320), "bytes are hashed");
        assertEquals("00".repeat(31) + "01", hex.substring(320, 384));
    }

    @Test
    void badTypesAndValuesAreBugsThatThrow() {
        assertThrows(IllegalArgumentException.class, () -> Eip712Types.builder().struct("A", "uint7 x").build());
        assertThrows(IllegalArgumentException.class, () -> Eip712Types.builder().struct("A", "uint264 x").build());
        assertThrows(IllegalArgumentException.class, () -> Eip712Types.builder().struct("A", "bytes33 x").build());
        assertThrows(IllegalArgumentException.class, () -> Eip712Types.builder().struct("A", "uint256[] x").build());
        assertThrows(IllegalArgumentException.class, () -> Eip712Types.builder().struct("A", "Missing x").build());
        assertThrows(IllegalArgumentException.class, () -> Eip712Types.builder().struct("A", "bool x", "bool x"));
        Eip712Types types = Eip712Types.builder().struct("A", "uint8 x").build();
        assertThrows(IllegalArgumentException.class, () -> types.hashStruct("A", Map.of("x", 256)));
        assertThrows(IllegalArgumentException.class, () -> types.hashStruct("A", Map.of("x", -1)));
        assertThrows(IllegalArgumentException.class, () -> types.hashStruct("A", Map.of("x", "1")));
        assertThrows(IllegalArgumentException.class, () -> types.hashStruct("A", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> types.hashStruct("A", Map.of("x", 1, "y", 2)));
        assertThrows(IllegalArgumentException.class, () -> types.hashStruct("B", Map.of()));
    }
}
