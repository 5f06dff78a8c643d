package io.meridian.auth;

import java.util.Objects;

/**
 * A signed cancel of all the account's open orders in one instrument, or in every instrument when {@code instrument} is
 * -1 ({@code 0xFFFFFFFF} as {@code uint32}, the engine's "all instruments").
 *
 * @param account    the owner's address
 * @param instrument instrument id ({@code uint32}), -1 for all
 * @param nonce      the signer's nonce (epoch milliseconds)
 */
public record CancelAllRequest(Address account, int instrument, long nonce) implements AccountRequest {

    public CancelAllRequest {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<CancelAllRequest> STRUCT = SignedStruct.builder(MeridianTypes.CANCEL_ALL,
                    CancelAllRequest.class)
            .address("account", CancelAllRequest::account, SignedCommands::account)
            .uint32("instrument", CancelAllRequest::instrument, c -> c.instrument)
            .uint64("nonce", CancelAllRequest::nonce, c -> c.nonce)
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
