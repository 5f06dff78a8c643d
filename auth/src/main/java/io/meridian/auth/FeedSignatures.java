package io.meridian.auth;

import io.meridian.model.Command;
import io.meridian.model.CommandType;

/**
 * Signatures of price feeds: who said an index source was at a price, and who published a volatility surface. A feed
 * is not an account; it holds an Ed25519 key that the node's config names for one source of one index (or for an
 * index's surface), and signs the EIP-712 digest of its message under the node's domain, so that a report for one
 * deployment never counts on another.
 *
 * <ul>
 *   <li>{@code PriceReport(uint32 index,uint32 source,uint64 price,uint64 timestamp,uint64 confidence)}: the fields of
 *       the {@code ORACLE_REPORT} command (price in index units, the source's own timestamp in epoch nanoseconds, the
 *       confidence in index units or -1 for none, read as uint64 like every Java long). The command carries the
 *       feed's key ({@link Command#agentKey}) and signature, so the journal proves every signed report by itself
 *       ({@code meridian verify --signatures}).</li>
 *   <li>{@code SurfaceUpdate(uint32 index,uint64 timestamp,bytes32 body)}: {@code body} is the Keccak-256 of the exact
 *       request body bytes; the gateway checks it before fitting the surface. The marks it produces are the node's
 *       own commands, so this one is proven at the edge only.</li>
 * </ul>
 *
 * <p>Replays: the engine refuses a report older than its source's last (SOURCE_OUT_OF_ORDER) and one from the future;
 * the same report twice changes nothing. Stateless and thread-safe.
 */
public final class FeedSignatures {

    /** A price report's struct: the ORACLE_REPORT's fields as the feed signs them. */
    record PriceReport(int index, int source, long price, long timestamp, long confidence) {
        static final SignedStruct<PriceReport> STRUCT = SignedStruct.builder(MeridianTypes.PRICE_REPORT,
                        PriceReport.class)
                .uint32("index", PriceReport::index)
                .uint32("source", PriceReport::source)
                .uint64("price", PriceReport::price)
                .uint64("timestamp", PriceReport::timestamp)
                .uint64("confidence", PriceReport::confidence)
                .build();
    }

    /** A surface update's struct; {@code body} is the Keccak-256 of the request body (32 bytes). */
    record SurfaceUpdate(int index, long timestamp, byte[] body) {
        static final SignedStruct<SurfaceUpdate> STRUCT = SignedStruct.builder(MeridianTypes.SURFACE_UPDATE,
                        SurfaceUpdate.class)
                .uint32("index", SurfaceUpdate::index)
                .uint64("timestamp", SurfaceUpdate::timestamp)
                .bytes32("body", SurfaceUpdate::body)
                .build();
    }

    private FeedSignatures() {
    }

    /** The digest a feed signs for an ORACLE_REPORT with these fields. */
    public static byte[] priceReportDigest(Eip712Domain domain, int index, int source, long price, long timestamp,
                                           long confidence) {
        byte[] struct = PriceReport.STRUCT.structHash(new PriceReport(index, source, price, timestamp, confidence));
        return domain.digest(struct);
    }

    /** The digest of an ORACLE_REPORT command's own fields. */
    public static byte[] priceReportDigest(Eip712Domain domain, Command c) {
        return priceReportDigest(domain, c.indexId, c.sourceId, c.price, c.sourceTimestamp, c.confidence);
    }

    /** Signs an ORACLE_REPORT as {@code feed}: sets its {@link Command#agentKey} and {@link Command#signature}. */
    public static Command signPriceReport(Command c, Eip712Domain domain, AgentSigner feed) {
        if (c.type != CommandType.ORACLE_REPORT) {
            throw new IllegalArgumentException("not an oracle report: " + c.type);
        }
        c.agentKey = feed.publicKey().toBytes();
        c.signature = feed.sign(priceReportDigest(domain, c));
        return c;
    }

    /**
     * True when the ORACLE_REPORT carries a feed key and that key's valid signature of its fields. Never throws: a
     * missing, malformed or non-point key, or a signature of the wrong length, is simply not valid.
     */
    public static boolean verifyPriceReport(Eip712Domain domain, Command c) {
        if (c.type != CommandType.ORACLE_REPORT || c.agentKey == null || c.signature == null) {
            return false;
        }
        Outcome<AgentKey> key = AgentKey.fromBytes(c.agentKey);
        return key.isOk() && key.value().verify(priceReportDigest(domain, c), c.signature);
    }

    /** The digest a surface publisher signs for a request body of index {@code index} stamped {@code timestamp}. */
    public static byte[] surfaceDigest(Eip712Domain domain, int index, long timestamp, byte[] body) {
        byte[] struct = SurfaceUpdate.STRUCT.structHash(new SurfaceUpdate(index, timestamp, Keccak.hash(body)));
        return domain.digest(struct);
    }
}
