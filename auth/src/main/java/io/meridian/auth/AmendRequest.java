package io.meridian.auth;

import java.util.Objects;

/**
 * A signed amend of a resting order: new price and quantity, 0 keeping the current value (as the engine's amend command
 * reads them).
 *
 * @param account    the owner's address
 * @param instrument instrument id ({@code uint32})
 * @param orderId    exchange order id
 * @param price      new limit price in ticks, 0 to keep it
 * @param quantity   new total quantity in lots, 0 to keep it
 * @param nonce      the signer's nonce (epoch milliseconds)
 */
public record AmendRequest(Address account, int instrument, long orderId, long price, long quantity, long nonce)
        implements AccountRequest {

    public AmendRequest {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<AmendRequest> STRUCT = SignedStruct.builder(MeridianTypes.AMEND, AmendRequest.class)
            .address("account", AmendRequest::account, SignedCommands::account)
            .uint32("instrument", AmendRequest::instrument, c -> c.instrument)
            .uint64("orderId", AmendRequest::orderId, c -> c.orderId)
            .uint64("price", AmendRequest::price, c -> c.price)
            .uint64("quantity", AmendRequest::quantity, c -> c.quantity)
            .uint64("nonce", AmendRequest::nonce, c -> c.nonce)
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
