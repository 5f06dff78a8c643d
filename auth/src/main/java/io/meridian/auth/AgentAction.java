package io.meridian.auth;

/** An owner's approval or revocation of an agent key, signed by the owner with secp256k1. */
public sealed interface AgentAction extends TypedMessage permits ApproveAgent, RevokeAgent {

    /** The agent key approved or revoked. */
    AgentKey agentKey();
}
