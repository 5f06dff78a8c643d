package io.meridian.auth;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;

/**
 * The EIP-712 message each signable engine command stands for, built from the command's own fields, so that what is
 * signed is exactly what executes and what the journal keeps: signing (clients, the demo, the load generator),
 * verifying before sequencing (the gateway) and proving afterwards ({@code meridian verify --signatures}) all go through
 * {@link #messageOf(Command)}.
 *
 * <p>Field mapping (docs/auth.md): each struct's table ({@link SignedStruct}, e.g. {@code OrderRequest.STRUCT}) says,
 * member by member, which command field it is signed from; this class only says which struct each command type is.
 * The struct's {@code account} is {@link Command#address}; enums travel as their ordinal, and an absent (null) enum as
 * 255, so that no absent value can be re-read as a real one; a settings change's margin mode as its ordinal + 1, 0 for
 * none. A command's {@code orderId} for a new order is the engine's (the sequence), so it is not signed. Stateless and
 * thread-safe.
 */
public final class SignedCommands {

    /** The uint8 code of an absent enum value: outside every enum's ordinals. */
    static final int ABSENT = 255;

    private SignedCommands() {
    }

    /**
     * Whether a command of this type is made by address and signed: the requests, the agent actions and session logins.
     * (Orders, cancels, amends and cancel-alls may instead be made in a session: {@link Command#sessionId}.)
     */
    public static boolean isSignable(CommandType type) {
        return structOf(type) != null;
    }

    /**
     * The typed message {@code c} stands for: the record of its type's struct, each member read from the command as that
     * struct's table says.
     *
     * @throws IllegalArgumentException if the command is not signable or lacks a field the message needs (address,
     *                                  side, agent key, agent name, destination)
     */
    public static TypedMessage messageOf(Command c) {
        // An amend that moves the trigger is its own struct, so that the trigger is signed while every amend signed
        // before it existed (trigger 0) keeps its digest.
        SignedStruct<? extends TypedMessage> struct = c.type == CommandType.AMEND_ORDER && c.triggerPrice != 0
                ? AmendTriggerRequest.STRUCT : structOf(c.type);
        if (struct == null) {
            throw new IllegalArgumentException(c.type + " is not made by address");
        }
        return struct.fromCommand(c);
    }

    /** The struct a command of this type is signed as; null for a type that is not made by address. */
    private static SignedStruct<? extends TypedMessage> structOf(CommandType type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case PLACE_ORDER -> OrderRequest.STRUCT;
            case CANCEL_ORDER -> CancelRequest.STRUCT;
            case AMEND_ORDER -> AmendRequest.STRUCT;
            case CANCEL_ALL -> CancelAllRequest.STRUCT;
            case WITHDRAW -> WithdrawRequest.STRUCT;
            case SET_LEVERAGE, SET_MARGIN_MODE -> SettingsRequest.STRUCT;
            case APPROVE_AGENT -> ApproveAgent.STRUCT;
            case REVOKE_AGENT -> RevokeAgent.STRUCT;
            case OPEN_SESSION -> SessionRequest.STRUCT;
            case PROPOSE_RISK_BOUNDS -> RiskBoundsProposal.STRUCT;
            case APPROVE_PROPOSAL, CANCEL_PROPOSAL -> ProposalVote.STRUCT;
            default -> null;
        };
    }

    /**
     * Whether {@code c}'s signature is its owner's (or, for requests agents may sign, its agent's) over the message it
     * stands for under {@code domain}: the stateless check, the expensive curve arithmetic included. Whether the agent
     * is approved and the nonce fresh is the engine's to decide, in log order. Never throws.
     */
    public static Verdict verify(Eip712Domain domain, Command c) {
        if (c.address == null || c.signature == null) {
            return Verdict.reject(AuthReject.MALFORMED, "an address and a signature are required");
        }
        TypedMessage message;
        try {
            message = messageOf(c);
        } catch (IllegalArgumentException e) {
            return Verdict.reject(AuthReject.MALFORMED, e.getMessage());
        }
        if (message instanceof AgentAction action) {
            if (c.address.length != Address.BYTES) {
                // An agent action's struct has no account field, so building its message did not check the address.
                return Verdict.reject(AuthReject.MALFORMED, "address: a 20-byte address is required");
            }
            Outcome<EcdsaSignature> signature = EcdsaSignature.fromBytes(c.signature);
            if (!signature.isOk()) {
                return signature.verdict();
            }
            return AgentRegistry.verifySignature(domain, new SignedAgentAction(Address.of(c.address), action,
                    signature.value()));
        }
        Signature signature;
        if (c.agentKey != null) {
            Outcome<AgentKey> key = AgentKey.fromBytes(c.agentKey);
            if (!key.isOk()) {
                return key.verdict();
            }
            signature = new AgentSignature(key.value(), c.signature);
        } else {
            Outcome<EcdsaSignature> ecdsa = EcdsaSignature.fromBytes(c.signature);
            if (!ecdsa.isOk()) {
                return ecdsa.verdict();
            }
            signature = ecdsa.value();
        }
        return SignatureVerifier.verifySignature(domain, new SignedRequest((AccountRequest) message, signature));
    }

    /**
     * Signs {@code c} as its owner: sets its address and signature (its nonce must be set first). For an agent approval
     * or revocation, {@link Command#agentKey} is the agent acted on and is kept; for a request it is cleared.
     */
    public static Command signAsOwner(Command c, Eip712Domain domain, Secp256k1PrivateKey owner) {
        c.address = owner.address().toBytes();
        if (c.type != CommandType.APPROVE_AGENT && c.type != CommandType.REVOKE_AGENT) {
            c.agentKey = null;
        }
        c.signature = owner.sign(messageOf(c).digest(domain)).toBytes();
        return c;
    }

    /** Signs {@code c} with an agent key approved by {@code owner}: sets address, agent key and signature. */
    public static Command signAsAgent(Command c, Eip712Domain domain, Address owner, AgentSigner agent) {
        c.address = owner.toBytes();
        c.agentKey = agent.publicKey().toBytes();
        c.signature = agent.sign(messageOf(c).digest(domain));
        return c;
    }

    // ---- Command fields as the structs' tables read them: each throws IllegalArgumentException naming what is missing.

    /** The {@code uint8} code of an enum: its ordinal, or {@link #ABSENT} for null. */
    static int code(Enum<?> value) {
        return value == null ? ABSENT : value.ordinal();
    }

    /** The command's {@link Command#address}: the struct's {@code account}. */
    static Address account(Command c) {
        return addressOf(c.address, "address");
    }

    /** A withdrawal's {@link Command#destination}. */
    static Address destination(Command c) {
        return addressOf(c.destination, "destination");
    }

    /** An order's side as the struct's {@code isBuy}. */
    static boolean isBuy(Command c) {
        if (c.side == null) {
            throw new IllegalArgumentException("an order needs a side");
        }
        return c.side == Side.BUY;
    }

    /** The agent an approval or revocation acts on: {@link Command#agentKey}, a valid Ed25519 point. */
    static AgentKey agentKey(Command c) {
        Outcome<AgentKey> key = AgentKey.fromBytes(c.agentKey);
        if (!key.isOk()) {
            throw new IllegalArgumentException("agentKey: " + key.verdict().message());
        }
        return key.value();
    }

    /** A proposal's bounds. */
    static io.meridian.model.RiskBounds bounds(Command c) {
        if (c.riskBounds == null) {
            throw new IllegalArgumentException("a risk bounds proposal needs its bounds");
        }
        return c.riskBounds;
    }

    /** An approval's label. */
    static String agentName(Command c) {
        if (c.agentName == null) {
            throw new IllegalArgumentException("an agent approval needs a name");
        }
        return c.agentName;
    }

    private static Address addressOf(byte[] bytes, String what) {
        if (bytes == null || bytes.length != Address.BYTES) {
            throw new IllegalArgumentException(what + ": a 20-byte address is required");
        }
        return Address.of(bytes);
    }
}
