package io.meridian.auth;

import java.math.BigInteger;

/**
 * Meridian's EIP-712 structs and domain: the exact type strings every wallet, client and verifier must agree on. They
 * are part of the wire contract (docs/auth.md): changing a struct changes every digest, so it needs a new domain
 * version. The structs' members are declared by the {@link SignedStruct} tables of the records that carry them
 * ({@code OrderRequest.STRUCT} and so on); this class names them and collects them.
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
    /** An amend that moves a conditional order's trigger price (an amend keeping it is an {@link #AMEND}). */
    public static final String AMEND_TRIGGER = "AmendTrigger";
    public static final String CANCEL_ALL = "CancelAll";
    public static final String SETTINGS = "Settings";
    public static final String SESSION = "Session";
    /** An admin's proposal of an instrument's risk bounds (governance; docs/risk.md). */
    public static final String RISK_BOUNDS_PROPOSAL = "RiskBoundsProposal";
    /** An admin's approval or veto of a governance proposal. */
    public static final String PROPOSAL_VOTE = "ProposalVote";
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

    /**
     * All fifteen structs: ten account requests and agent actions, two governance messages, a read token, two feed
     * messages. Each is described
     * once, by the {@link SignedStruct} table of the record that carries it; this set is built from those tables for the
     * generic encoder and {@link TypedDataJson}.
     */
    public static final Eip712Types TYPES = types(OrderRequest.STRUCT, CancelRequest.STRUCT, WithdrawRequest.STRUCT,
            ApproveAgent.STRUCT, RevokeAgent.STRUCT, AmendRequest.STRUCT, AmendTriggerRequest.STRUCT,
            CancelAllRequest.STRUCT, SettingsRequest.STRUCT, SessionRequest.STRUCT, RiskBoundsProposal.STRUCT,
            ProposalVote.STRUCT, ReadAccess.STRUCT, FeedSignatures.PriceReport.STRUCT, FeedSignatures.SurfaceUpdate.STRUCT);

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

    private static Eip712Types types(SignedStruct<?>... structs) {
        Eip712Types.Builder builder = Eip712Types.builder();
        for (SignedStruct<?> struct : structs) {
            builder.struct(struct.name(), struct.declarations());
        }
        return builder.build();
    }
}
