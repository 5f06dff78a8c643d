package io.meridian.auth;

import java.util.Objects;

/**
 * A signed withdrawal. Only the owner may sign one ({@link #agentMaySign()} is false).
 *
 * @param account     the owner's address
 * @param asset       asset id ({@code uint32})
 * @param amount      amount in the asset's minor units
 * @param destination where the funds go
 * @param nonce       the owner's nonce (epoch milliseconds)
 */
public record WithdrawRequest(Address account, int asset, long amount, Address destination, long nonce)
        implements AccountRequest {

    public WithdrawRequest {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(destination, "destination");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<WithdrawRequest> STRUCT = SignedStruct.builder(MeridianTypes.WITHDRAW,
                    WithdrawRequest.class)
            .address("account", WithdrawRequest::account, SignedCommands::account)
            .uint32("asset", WithdrawRequest::asset, c -> c.asset)
            .uint64("amount", WithdrawRequest::amount, c -> c.amount)
            .address("destination", WithdrawRequest::destination, SignedCommands::destination)
            .uint64("nonce", WithdrawRequest::nonce, c -> c.nonce)
            .build();

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }

    @Override
    public boolean agentMaySign() {
        return false;
    }
}
