package io.meridian.auth;

import java.util.Objects;

/**
 * A signed amend that moves a conditional order's trigger price (and, as {@link AmendRequest}, its price and quantity,
 * 0 keeping them). A struct of its own rather than a member added to {@code Amend}: adding one would change the digest
 * of every amend already signed and journaled, while an amend that keeps its trigger (trigger price 0, the only kind
 * there was) is still signed and proven as {@code Amend}. {@link SignedCommands} picks this struct for an AMEND_ORDER
 * command exactly when its trigger price is not 0, so no trigger can ever be changed by an unsigned field.
 *
 * @param account      the owner's address
 * @param instrument   instrument id ({@code uint32})
 * @param orderId      exchange order id
 * @param price        new limit price in ticks, 0 to keep it
 * @param quantity     new total quantity in lots, 0 to keep it
 * @param triggerPrice new trigger price in ticks (never 0: that is an {@code Amend})
 * @param nonce        the signer's nonce (epoch milliseconds)
 */
public record AmendTriggerRequest(Address account, int instrument, long orderId, long price, long quantity,
                                  long triggerPrice, long nonce) implements AccountRequest {

    public AmendTriggerRequest {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<AmendTriggerRequest> STRUCT = SignedStruct.builder(MeridianTypes.AMEND_TRIGGER,
                    AmendTriggerRequest.class)
            .address("account", AmendTriggerRequest::account, SignedCommands::account)
            .uint32("instrument", AmendTriggerRequest::instrument, c -> c.instrument)
            .uint64("orderId", AmendTriggerRequest::orderId, c -> c.orderId)
            .uint64("price", AmendTriggerRequest::price, c -> c.price)
            .uint64("quantity", AmendTriggerRequest::quantity, c -> c.quantity)
            .uint64("triggerPrice", AmendTriggerRequest::triggerPrice, c -> c.triggerPrice)
            .uint64("nonce", AmendTriggerRequest::nonce, c -> c.nonce)
            .check(AmendTriggerRequest::checkTrigger)
            .build();

    private static Verdict checkTrigger(AmendTriggerRequest r) {
        if (r.triggerPrice == 0) {
            return Verdict.reject(AuthReject.MALFORMED, "AmendTrigger: triggerPrice 0 keeps the trigger, which is an Amend");
        }
        return Verdict.ok();
    }

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }
}
