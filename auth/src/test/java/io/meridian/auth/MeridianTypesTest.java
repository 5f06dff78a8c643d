package io.meridian.auth;

import org.junit.jupiter.api.Test;

import static io.meridian.auth.Fixtures.DOMAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meridian's structs and worked examples. The digests and signatures below were produced by this module and
 * cross-checked once against an independent implementation (ethers 6.17.0: {@code TypedDataEncoder.hash} and
 * {@code Wallet.signTypedData} fed the JSON of {@link TypedDataJson}); docs/auth.md publishes them as vectors.
 */
class MeridianTypesTest {

    static final Secp256k1PrivateKey COW = Secp256k1PrivateKey.of(Keccak.hash("cow"));
    /** RFC 8032 TEST 1's key pair as the example agent. */
    static final AgentSigner AGENT = AgentSigner.of(
            Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    static final OrderRequest ORDER = OrderRequest.limit(COW.address(), 1, true, 6_500_000, 25, 0, false, 42,
            1_700_000_000_000L);

    @Test
    void typeStringsAreTheWireContract() {
        assertEquals("Order(address account,uint32 instrument,bool isBuy,uint64 price,uint64 quantity,uint8 timeInForce,"
                + "bool reduceOnly,uint64 clientOrderId,uint8 orderType,uint64 triggerPrice,uint8 triggerSource,"
                + "uint64 expireAt,uint8 postOnly,uint64 displayQuantity,uint8 selfTradePrevention,uint64 nonce)",
                MeridianTypes.TYPES.encodeType("Order"));
        assertEquals("AmendTrigger(address account,uint32 instrument,uint64 orderId,uint64 price,uint64 quantity,"
                + "uint64 triggerPrice,uint64 nonce)", MeridianTypes.TYPES.encodeType("AmendTrigger"));
        assertEquals("Cancel(address account,uint32 instrument,uint64 orderId,uint64 clientOrderId,uint64 nonce)",
                MeridianTypes.TYPES.encodeType("Cancel"));
        assertEquals("Withdraw(address account,uint32 asset,uint64 amount,address destination,uint64 nonce)",
                MeridianTypes.TYPES.encodeType("Withdraw"));
        assertEquals("ApproveAgent(bytes32 agentKey,string name,uint64 nonce,uint64 validUntil)",
                MeridianTypes.TYPES.encodeType("ApproveAgent"));
        assertEquals("RevokeAgent(bytes32 agentKey,uint64 nonce)", MeridianTypes.TYPES.encodeType("RevokeAgent"));
        assertEquals("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
                DOMAIN.encodeType());
    }

    @Test
    void orderExample() {
        assertEquals("15efc9fb118a77776dcd8433f650c6592eb3636ef1abf92e270518b0a811c5d3", Hex.encode(DOMAIN.separator()));
        assertEquals("7918ef5bf2f4c79b6ae83eecaf22b298abaf2cb4d198e735d4ef4888a138684b",
                Hex.encode(MeridianTypes.TYPES.typeHash("Order")));
        assertEquals("f1ffab763d8b9a9b47172de804c80c9e0afd25c4c63b7a28119aa6c639f69680", Hex.encode(ORDER.structHash()));
        assertEquals("b598df611b0bd413739b5bd801c8c6f712c079697b8e2d21b25512eaa219b919",
                Hex.encode(ORDER.digest(DOMAIN)));
        assertEquals("0xbd53dcb9d45700a7b0c432c3a3d67b1f2089793808975197747479dc39b03eab"
                + "51031164ecc6e6a930bd5467ba2535c7ed45eb522d3150e2d16433d34d6747aa1c",
                COW.sign(ORDER.digest(DOMAIN)).toHex());
        assertEquals(ORDER_JSON, TypedDataJson.of(DOMAIN, ORDER));
    }

    static final String ORDER_JSON = ""
            + "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"ty"
            + "pe\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"t"
            + "ype\":\"address\"}],\"Order\":[{\"name\":\"account\",\"type\":\"address\"},{\"name\":\"instrumen"
            + "t\",\"type\":\"uint32\"},{\"name\":\"isBuy\",\"type\":\"bool\"},{\"name\":\"price\",\"type\":\"u"
            + "int64\"},{\"name\":\"quantity\",\"type\":\"uint64\"},{\"name\":\"timeInForce\",\"type\":\"uint8"
            + "\"},{\"name\":\"reduceOnly\",\"type\":\"bool\"},{\"name\":\"clientOrderId\",\"type\":\"uint64\"}"
            + ",{\"name\":\"orderType\",\"type\":\"uint8\"},{\"name\":\"triggerPrice\",\"type\":\"uint64\"},{\""
            + "name\":\"triggerSource\",\"type\":\"uint8\"},{\"name\":\"expireAt\",\"type\":\"uint64\"},{\"name"
            + "\":\"postOnly\",\"type\":\"uint8\"},{\"name\":\"displayQuantity\",\"type\":\"uint64\"},{\"name\""
            + ":\"selfTradePrevention\",\"type\":\"uint8\"},{\"name\":\"nonce\",\"type\":\"uint64\"}]},\"primar"
            + "yType\":\"Order\",\"domain\":{\"name\":\"Meridian\",\"version\":\"1\",\"chainId\":1337,\"verifyi"
            + "ngContract\":\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"},\"message\":{\"account\":\"0xCD2a3d"
            + "9F938E13CD947Ec05AbC7FE734Df8DD826\",\"instrument\":\"1\",\"isBuy\":true,\"price\":\"6500000\","
            + "\"quantity\":\"25\",\"timeInForce\":\"0\",\"reduceOnly\":false,\"clientOrderId\":\"42\",\"orderT"
            + "ype\":\"0\",\"triggerPrice\":\"0\",\"triggerSource\":\"0\",\"expireAt\":\"0\",\"postOnly\":\"0\""
            + ",\"displayQuantity\":\"0\",\"selfTradePrevention\":\"0\",\"nonce\":\"1700000000000\"}}";

    @Test
    void agentExamples() {
        ApproveAgent approve = new ApproveAgent(AGENT.publicKey(), "market-maker-1", 1_700_000_000_000L,
                1_700_086_400_000L);
        assertEquals("9e412f542a4b98fb971481b0208698eef353c32c623dd887d9606f7554b343fa",
                Hex.encode(approve.digest(DOMAIN)));
        assertEquals("0xc701dc10cb4990e115d5a06eced057fd325556f90591586833910001a4798bd1"
                + "39d417a69b08d40de560e86cae8f44be4b3c3a7ca7e78e3fc8b376e0496e9f301c",
                COW.sign(approve.digest(DOMAIN)).toHex());
        assertEquals(APPROVE_JSON, TypedDataJson.of(DOMAIN, approve));
        RevokeAgent revoke = new RevokeAgent(AGENT.publicKey(), 1_700_000_000_004L);
        assertEquals("73d029e5146b188e7576eaa121a2c9a230eae05a18823f0a49f23fcff97c01a6", Hex.encode(revoke.digest(DOMAIN)));
        OrderRequest order = OrderRequest.limit(COW.address(), 1, true, 6_500_000, 25, 0, false, 42, 1_700_000_000_001L);
        assertEquals("24d5360cdc78915780ce4b5bb8fc963f13dfd935779bac5a65622c8697efe81c", Hex.encode(order.digest(DOMAIN)));
        assertEquals("4971acf83d3b78f7797c56295376a7627923fc98cb898fb191908f02d67a1d8f"
                + "3664f464e27da12779e497532da8cdf9723f765fdf7d72766fc27a2dfd96820b",
                Hex.encode(AGENT.sign(order.digest(DOMAIN))));
    }

    static final String APPROVE_JSON = ""
            + "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"ty"
            + "pe\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"t"
            + "ype\":\"address\"}],\"ApproveAgent\":[{\"name\":\"agentKey\",\"type\":\"bytes32\"},{\"name\":\"n"
            + "ame\",\"type\":\"string\"},{\"name\":\"nonce\",\"type\":\"uint64\"},{\"name\":\"validUntil\",\"t"
            + "ype\":\"uint64\"}]},\"primaryType\":\"ApproveAgent\",\"domain\":{\"name\":\"Meridian\",\"version"
            + "\":\"1\",\"chainId\":1337,\"verifyingContract\":\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"},"
            + "\"message\":{\"agentKey\":\"0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\""
            + ",\"name\":\"market-maker-1\",\"nonce\":\"1700000000000\",\"validUntil\":\"1700086400000\"}}";

    @Test
    void cancelAndWithdrawExamples() {
        CancelRequest cancel = new CancelRequest(COW.address(), 1, 0, 42, 1_700_000_000_002L);
        assertEquals("e1c284e9098d6651097a0dafa4244180d78d4cd7bdf33637799e7023be962b94", Hex.encode(cancel.digest(DOMAIN)));
        WithdrawRequest withdraw = new WithdrawRequest(COW.address(), 2, 1_000_000,
                Address.parseOrThrow("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"), 1_700_000_000_003L);
        assertEquals("028168cb8c57d53870ec5c94513d7bd9ab97ad9f9c05cff561103fd8854beaaf",
                Hex.encode(withdraw.digest(DOMAIN)));
    }

    @Test
    void fastPathMatchesTheGenericEncoderAtTheExtremes() {
        OrderRequest extremes = new OrderRequest(COW.address(), -1, false, -1, Long.MIN_VALUE, 255, true, Long.MAX_VALUE,
                255, -1, 255, -1, 255, -1, 255, -1);
        assertArrayEquals(MeridianTypes.TYPES.hashStruct("Order", extremes.message()), extremes.structHash());
        assertEquals("18446744073709551615", extremes.message().get("price").toString(), "uint64 reads the long unsigned");
        assertEquals("4294967295", extremes.message().get("instrument").toString());
    }

    @Test
    void invalidMessagesCannotBeHashed() {
        OrderRequest bad = new OrderRequest(COW.address(), 1, true, 1, 1, 0, false, 0, -1, 0, 0, 0, 0, 0, 0, 1);
        assertEquals(AuthReject.MALFORMED, bad.validate().reason());
        assertTrue(bad.validate().message().contains("orderType"));
        assertThrows(IllegalArgumentException.class, bad::structHash);
        ApproveAgent longName = new ApproveAgent(AGENT.publicKey(), "n".repeat(65), 1, 2);
        assertThrows(IllegalArgumentException.class, longName::structHash);
    }

    @Test
    void jsonStringsAreEscaped() {
        StringBuilder out = new StringBuilder();
        TypedDataJson.appendString(out, "a\"b\\c\n\u0001");
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", out.toString());
    }

    /**
     * The rest of docs/auth.md's published vectors: an order that sets every field, the governance structs, and the
     * signatures a login, a read token, a governance vote and a price feed send (the digests of the other structs are
     * pinned by {@link SignedStructTest#digestsOfTheOtherStructsAreUnchanged}, and published too). ethers recomputes
     * them all on every build ({@code EthersInteropTest}).
     */
    @Test
    void everyStructHasAPublishedVector() {
        Address cow = COW.address();
        OrderRequest everyField = new OrderRequest(cow, 2, false, 6_480_000, 40, 3, true, 77, 3, 6_490_000, 1,
                1_700_003_600_000_000_000L, 0, 10, 3, 1_700_000_000_011L);
        assertEquals("6872bd22406e2d9aad5bd31fdadcc0373f0f5a4acebbfbdb718f7286c8038b56",
                Hex.encode(everyField.digest(DOMAIN)));
        AmendTriggerRequest trigger = new AmendTriggerRequest(cow, 2, 9, 0, 0, 6_495_000, 1_700_000_000_014L);
        assertEquals("484b229b021057b84c363fec28a5cfae432c03bd8105cec0d78314b99f97afeb",
                Hex.encode(trigger.digest(DOMAIN)));
        SessionRequest session = new SessionRequest(cow, 1_700_086_400_000L, 1_700_000_000_009L);
        assertEquals("0x433228d08606f192a0305d4e33d8b20677278961b2f8af69cd4fb5dd86f26163"
                + "49321752d4ce4a8ea838c8a8fa4a30bb8249719cef349075513110a002b0874e1c",
                COW.sign(session.digest(DOMAIN)).toHex());
        ReadAccess read = new ReadAccess(cow, 1_700_003_600_000L, 1_700_000_000_010L);
        assertEquals("0x28c6d6bb05bf43ab6ae7d52848efd9c603993aefdac4241307a909870cdac901"
                + "38f7fea22e77d1bf9b8691f536fbca16997af2716e55bcdfd9090e66e283c88d1c",
                COW.sign(read.digest(DOMAIN)).toHex());
        RiskBoundsProposal proposal = new RiskBoundsProposal(cow, 1, 1_000_000, 3_000_000, 250_000, 50_000,
                3_600_000, 1_700_000_000_012L);
        assertEquals("ba88c1175bb2cf9e7423d5f6ea0b2dbe5719579fb1fecbeb21b98a851a858e7f",
                Hex.encode(proposal.digest(DOMAIN)));
        assertEquals("0xa03f1cf28accedda0605498359e5f1c328cefc0baf9e7bf68d94b039dce72e4c"
                + "362c73ff957dab66efbb82b6bdb74e92637c779159e6df01e2418272823903931b",
                COW.sign(proposal.digest(DOMAIN)).toHex());
        ProposalVote vote = new ProposalVote(cow, 12, 0, 1_700_000_000_013L);
        assertEquals("fb890cfbdf878476a55b60e29be0bb81dd5ac29f932116470cb2db9e5916f012", Hex.encode(vote.digest(DOMAIN)));
        assertEquals("0xcfbe2e0de4b075ade61f5d01547619616a5b0cec0ff7164e69173741eb592441"
                + "17513ccaa70e9425dd3c7962b819e589921b3d488e822b106ed615af842d23071c",
                COW.sign(vote.digest(DOMAIN)).toHex());
        byte[] report = FeedSignatures.priceReportDigest(DOMAIN, 3, 1, 6_012_345L, 1_700_000_000_123_456_789L, -1);
        assertEquals("b92c782c607b0b24b4a7378f16c878de0ee9f086153a3b4214dac6365019e486"
                + "93d3e23d46c36961a83575e4408df587df971ea1faf4e693e4c0509a0547bd00", Hex.encode(AGENT.sign(report)));
    }
}
