package io.meridian.auth;

import java.util.Objects;

/**
 * A signed order: every field of the engine's place-order command that changes what executes, so that nothing a relay
 * could alter is left unsigned. Enum fields carry the stable wire codes of docs/auth.md (the engine model's ordinals
 * today): timeInForce GTC 0, IOC 1, FOK 2, GTD 3; orderType LIMIT 0, MARKET 1, STOP_MARKET 2, STOP_LIMIT 3,
 * TAKE_PROFIT_MARKET 4, TAKE_PROFIT_LIMIT 5; triggerSource LAST 0, MARK 1; postOnly NONE 0, REJECT 1, SLIDE 2;
 * selfTradePrevention NONE 0, EXPIRE_MAKER 1, EXPIRE_TAKER 2, EXPIRE_BOTH 3, DECREMENT 4. Whether a code is defined,
 * and whether the combination makes sense, is the engine's to decide; here each only has to fit {@code uint8}.
 *
 * @param account             the owner's address
 * @param instrument          instrument id ({@code uint32})
 * @param isBuy               true to buy, false to sell
 * @param price               limit price in ticks, 0 for none
 * @param quantity            quantity in lots
 * @param timeInForce         time-in-force code
 * @param reduceOnly          reduce-only flag
 * @param clientOrderId       the client's id, 0 for none
 * @param orderType           order-type code
 * @param triggerPrice        trigger price in ticks for conditional orders, 0 for none
 * @param triggerSource       trigger-source code
 * @param expireAt            GTD expiry in the engine's clock (epoch nanoseconds), 0 for none
 * @param postOnly            post-only code
 * @param displayQuantity     iceberg display quantity in lots, 0 for fully visible
 * @param selfTradePrevention self-trade-prevention code
 * @param nonce               the signer's nonce (epoch milliseconds)
 */
public record OrderRequest(Address account, int instrument, boolean isBuy, long price, long quantity, int timeInForce,
                           boolean reduceOnly, long clientOrderId, int orderType, long triggerPrice, int triggerSource,
                           long expireAt, int postOnly, long displayQuantity, int selfTradePrevention, long nonce)
        implements AccountRequest {

    public OrderRequest {
        Objects.requireNonNull(account, "account");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<OrderRequest> STRUCT = SignedStruct.builder(MeridianTypes.ORDER, OrderRequest.class)
            .address("account", OrderRequest::account, SignedCommands::account)
            .uint32("instrument", OrderRequest::instrument, c -> c.instrument)
            .bool("isBuy", OrderRequest::isBuy, SignedCommands::isBuy)
            .uint64("price", OrderRequest::price, c -> c.price)
            .uint64("quantity", OrderRequest::quantity, c -> c.quantity)
            .uint8("timeInForce", OrderRequest::timeInForce, c -> SignedCommands.code(c.timeInForce))
            .bool("reduceOnly", OrderRequest::reduceOnly, c -> c.reduceOnly)
            .uint64("clientOrderId", OrderRequest::clientOrderId, c -> c.clientOrderId)
            .uint8("orderType", OrderRequest::orderType, c -> SignedCommands.code(c.orderType))
            .uint64("triggerPrice", OrderRequest::triggerPrice, c -> c.triggerPrice)
            .uint8("triggerSource", OrderRequest::triggerSource, c -> SignedCommands.code(c.triggerSource))
            .uint64("expireAt", OrderRequest::expireAt, c -> c.expireAt)
            .uint8("postOnly", OrderRequest::postOnly, c -> SignedCommands.code(c.postOnly))
            .uint64("displayQuantity", OrderRequest::displayQuantity, c -> c.displayQuantity)
            .uint8("selfTradePrevention", OrderRequest::selfTradePrevention,
                    c -> SignedCommands.code(c.selfTradePrevention))
            .uint64("nonce", OrderRequest::nonce, c -> c.nonce)
            .build();

    /** A plain limit order (GTC unless {@code timeInForce} says otherwise) with every optional field at its default. */
    public static OrderRequest limit(Address account, int instrument, boolean isBuy, long price, long quantity,
                                     int timeInForce, boolean reduceOnly, long clientOrderId, long nonce) {
        return new OrderRequest(account, instrument, isBuy, price, quantity, timeInForce, reduceOnly, clientOrderId,
                0, 0, 0, 0, 0, 0, 0, nonce);
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
