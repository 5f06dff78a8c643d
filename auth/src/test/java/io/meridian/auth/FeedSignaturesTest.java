package io.meridian.auth;

import io.meridian.model.Command;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feed signatures: price reports and surface updates, their digests against the generic EIP-712 encoder. */
class FeedSignaturesTest {
    private static final Eip712Domain DEV = MeridianTypes.devDomain();
    private static final AgentSigner FEED = AgentSigner.of(seed(7));

    private static byte[] seed(int b) {
        byte[] seed = new byte[32];
        seed[0] = (byte) b;
        return seed;
    }

    private static Command report() {
        return new Command().oracleReport(3, 1, 6_012_345L, 1_700_000_000_123_456_789L);
    }

    @Test
    void theFixedLayoutDigestIsTheGenericEip712One() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("index", MeridianTypes.u32(3));
        values.put("source", MeridianTypes.u32(1));
        values.put("price", MeridianTypes.u64(6_012_345L));
        values.put("timestamp", MeridianTypes.u64(1_700_000_000_123_456_789L));
        values.put("confidence", MeridianTypes.u64(-1));
        assertArrayEquals(DEV.digest(MeridianTypes.TYPES.hashStruct(MeridianTypes.PRICE_REPORT, values)),
                FeedSignatures.priceReportDigest(DEV, 3, 1, 6_012_345L, 1_700_000_000_123_456_789L, -1));

        byte[] body = "{\"index\":3,\"timestamp\":5,\"quotes\":[]}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> surface = new LinkedHashMap<>();
        surface.put("index", MeridianTypes.u32(3));
        surface.put("timestamp", MeridianTypes.u64(5));
        surface.put("body", Keccak.hash(body));
        assertArrayEquals(DEV.digest(MeridianTypes.TYPES.hashStruct(MeridianTypes.SURFACE_UPDATE, surface)),
                FeedSignatures.surfaceDigest(DEV, 3, 5, body));
    }

    @Test
    void aSignedReportVerifiesAndAnyChangeBreaksIt() {
        Command c = FeedSignatures.signPriceReport(report(), DEV, FEED);
        assertArrayEquals(FEED.publicKey().toBytes(), c.agentKey);
        assertTrue(FeedSignatures.verifyPriceReport(DEV, c));

        Command price = new Command().copyFrom(c);
        price.price++;
        Command time = new Command().copyFrom(c);
        time.sourceTimestamp--;
        Command source = new Command().copyFrom(c);
        source.sourceId = 2;
        Command confidence = new Command().copyFrom(c);
        confidence.confidence = 10;
        Command otherKey = new Command().copyFrom(c);
        otherKey.agentKey = AgentSigner.of(seed(8)).publicKey().toBytes();
        Command notAKey = new Command().copyFrom(c);
        notAKey.agentKey = new byte[5];
        Command unsigned = new Command().copyFrom(c);
        unsigned.signature = null;
        for (Command bad : new Command[] {price, time, source, confidence, otherKey, notAKey, unsigned}) {
            assertFalse(FeedSignatures.verifyPriceReport(DEV, bad), bad.toString());
        }
        // Another deployment's domain: the same report does not count there.
        assertFalse(FeedSignatures.verifyPriceReport(MeridianTypes.domain(1,
                Address.parseOrThrow("0x0000000000000000000000000000000000000001")), c));
        assertThrows(IllegalArgumentException.class, () -> FeedSignatures.signPriceReport(new Command().reset(), DEV,
                FEED));
    }
}
