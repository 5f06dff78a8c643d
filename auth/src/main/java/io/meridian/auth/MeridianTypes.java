package io.meridian.auth;

import java.math.BigInteger;

/**
 * Meridian's EIP-712 structs and domain: the exact type strings every wallet, client and verifier must agree on. They
 * are part of the wire contract (docs/auth.md): changing a struct changes every digest, so it needs a new domain
 * version.
 *
 * <p>Integer conventions: a {@code uint64} field carries a Java {@code long}'s 64 bits read unsigned, a {@code uint32}
 * an {@code int}'s 32 bits read unsigned, so every Java value has exactly one encoding; a {@code uint8} field must be
 * in [0, 255]. Immutable constants; thread-safe.
 */
public final class MeridianTypes {

    /** The domain name. */
    public static final String DOMAIN_NAME = "Meridian";
    /** The domain version: the version of these structs. */
    public static final String DOMAIN_VERSION = "1";

    public static final String ORDER = "Order";
    public static final String CANCEL = "Cancel";
    public static final String WITHDRAW = "Withdraw";
    public static final String APPROVE_AGENT = "ApproveAgent";
    public static final String REVOKE_AGENT = "RevokeAgent";
    public static final String AMEND = "Amend";
    public static final String CANCEL_ALL = "CancelAll";
    public static final String SETTINGS = "Settings";
    public static final String SESSION = "Session";
    /**
     * A read token: the owner (or an approved agent) lets the bearer read the account's private data until
     * {@code validUntil}. Not a command: it is never sequenced, and its nonce is not consumed (docs/api.md, "Private
     * reads").
     */
    public static final String READ_ACCESS = "ReadAccess";
    /** A price feed's report of one index source (signed by the source's feed key, not by an account). */
    public static final String PRICE_REPORT = "PriceReport";
    /** A surface publisher's volatility quotes for one index: the body's Keccak-256 (signed by its feed key). */
    public static final String SURFACE_UPDATE = "SurfaceUpdate";

    /** The chain id of a development node's domain: the local-chain id of common Ethereum dev tools (31337). */
    public static final long DEV_CHAIN_ID = 31337;
    /** The verifying contract of a development node's domain: a placeholder address, as no contract is deployed. */
    public static final String DEV_VERIFYING_CONTRACT = "0x000000000000000000000000000000000000dEaD";

    /** The longest agent name, in characters: it is shown by wallets and stored per approval. */
    public static final int MAX_AGENT_NAME = 64;

    /** All twelve structs: nine account requests and agent actions, a read token, two feed messages. */
    public static final Eip712Types TYPES = Eip712Types.builder()
            .struct(ORDER, "address account", "uint32 instrument", "bool isBuy", "uint64 price", "uint64 quantity",
                    "uint8 timeInForce", "bool reduceOnly", "uint64 clientOrderId", "uint8 orderType",
                    "uint64 triggerPrice", "uint8 triggerSource", "uint64 expireAt", "uint8 postOnly",
                    "uint64 displayQuantity", "uint8 selfTradePrevention", "uint64 nonce")
            .struct(CANCEL, "address account", "uint32 instrument", "uint64 orderId", "uint64 clientOrderId",
                    "uint64 nonce")
            .struct(WITHDRAW, "address account", "uint32 asset", "uint64 amount", "address destination", "uint64 nonce")
            .struct(APPROVE_AGENT, "bytes32 agentKey", "string name", "uint64 nonce", "uint64 validUntil")
            .struct(REVOKE_AGENT, "bytes32 agentKey", "uint64 nonce")
            .struct(AMEND, "address account", "uint32 instrument", "uint64 orderId", "uint64 price", "uint64 quantity",
                    "uint64 nonce")
            .struct(CANCEL_ALL, "address account", "uint32 instrument", "uint64 nonce")
            .struct(SETTINGS, "address account", "uint32 instrument", "uint32 leverage", "uint8 marginMode",
                    "uint64 nonce")
            .struct(SESSION, "address account", "uint64 validUntil", "uint64 nonce")
            .struct(READ_ACCESS, "address account", "uint64 validUntil", "uint64 nonce")
            .struct(PRICE_REPORT, "uint32 index", "uint32 source", "uint64 price", "uint64 timestamp",
                    "uint64 confidence")
            .struct(SURFACE_UPDATE, "uint32 index", "uint64 timestamp", "bytes32 body")
            .build();

    static final byte[] ORDER_TYPEHASH = TYPES.typeHash(ORDER);
    static final byte[] CANCEL_TYPEHASH = TYPES.typeHash(CANCEL);
    static final byte[] WITHDRAW_TYPEHASH = TYPES.typeHash(WITHDRAW);
    static final byte[] APPROVE_AGENT_TYPEHASH = TYPES.typeHash(APPROVE_AGENT);
    static final byte[] REVOKE_AGENT_TYPEHASH = TYPES.typeHash(REVOKE_AGENT);
    static final byte[] AMEND_TYPEHASH = TYPES.typeHash(AMEND);
    static final byte[] CANCEL_ALL_TYPEHASH = TYPES.typeHash(CANCEL_ALL);
    static final byte[] SETTINGS_TYPEHASH = TYPES.typeHash(SETTINGS);
    static final byte[] SESSION_TYPEHASH = TYPES.typeHash(SESSION);
    static final byte[] READ_ACCESS_TYPEHASH = TYPES.typeHash(READ_ACCESS);
    static final byte[] PRICE_REPORT_TYPEHASH = TYPES.typeHash(PRICE_REPORT);
    static final byte[] SURFACE_UPDATE_TYPEHASH = TYPES.typeHash(SURFACE_UPDATE);

    private MeridianTypes() {
    }

    /**
     * {@code EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)} with name
     * {@value #DOMAIN_NAME} and version {@value #DOMAIN_VERSION}. The chain id and contract are per deployment (a test
     * network and production must differ), so a signature for one never executes on the other.
     */
    public static Eip712Domain domain(long chainId, Address verifyingContract) {
        return Eip712Domain.of(DOMAIN_NAME, DOMAIN_VERSION, chainId, verifyingContract);
    }

    /** The domain of a development node: {@link #DEV_CHAIN_ID} and {@link #DEV_VERIFYING_CONTRACT}. */
    public static Eip712Domain devDomain() {
        return domain(DEV_CHAIN_ID, Address.parseOrThrow(DEV_VERIFYING_CONTRACT));
    }

    /** A {@code long}'s bits read as an unsigned 64-bit value. */
    static BigInteger u64(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    /** An {@code int}'s bits read as an unsigned 32-bit value. */
    static BigInteger u32(int value) {
        return BigInteger.valueOf(Integer.toUnsignedLong(value));
    }

    /** Ok, or MALFORMED naming the field, for a {@code uint8} field. */
    static Verdict checkUint8(String struct, String field, int value) {
        if (value < 0 || value > 255) {
            return Verdict.reject(AuthReject.MALFORMED, struct + "." + field + " must be in [0, 255], got " + value);
        }
        return Verdict.ok();
    }

    /** Throws for a message that {@link TypedMessage#validate()} rejects: hashing one is a bug. */
    static void requireValid(TypedMessage message) {
        Verdict verdict = message.validate();
        if (!verdict.isOk()) {
            throw new IllegalArgumentException(verdict.message());
        }
    }
}
