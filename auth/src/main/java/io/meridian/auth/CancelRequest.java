package io.meridian.auth;

import java.util.Objects;

/**
 * A signed cancel: by exchange order id, or by client order id when {@code orderId} is 0 (as the engine's cancel
 * command reads it).
 *
 * @param account       the owner's address
 * @param instrument    instrument id ({@code uint32})
 * @param orderId       exchange order id, 0 to cancel by client order id
 * @param clientOrderId the client's order id, used when {@code orderId} is 0
 * @param nonce         the signer's nonce (epoch milliseconds)
 */
public record CancelRequest(Address account, int instrument, long orderId, long clientOrderId, long nonce)
        implements AccountRequest {

    public CancelRequest {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<CancelRequest> STRUCT = SignedStruct.builder(MeridianTypes.CANCEL, CancelRequest.class)
            .address("account", CancelRequest::account, SignedCommands::account)
            .uint32("instrument", CancelRequest::instrument, c -> c.instrument)
            .uint64("orderId", CancelRequest::orderId, c -> c.orderId)
            .uint64("clientOrderId", CancelRequest::clientOrderId, c -> c.clientOrderId)
            .uint64("nonce", CancelRequest::nonce, c -> c.nonce)
            .build();

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }
}
