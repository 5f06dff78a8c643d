package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    /** A plain limit order (GTC unless {@code timeInForce} says otherwise) with every optional field at its default. */
    public static OrderRequest limit(Address account, int instrument, boolean isBuy, long price, long quantity,
                                     int timeInForce, boolean reduceOnly, long clientOrderId, long nonce) {
        return new OrderRequest(account, instrument, isBuy, price, quantity, timeInForce, reduceOnly, clientOrderId,
                0, 0, 0, 0, 0, 0, 0, nonce);
    }

    @Override
    public String primaryType() {
        return MeridianTypes.ORDER;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }

    @Override
    public Verdict validate() {
        String[] names = {"timeInForce", "orderType", "triggerSource", "postOnly", "selfTradePrevention"};
        int[] values = {timeInForce, orderType, triggerSource, postOnly, selfTradePrevention};
        for (int i = 0; i < names.length; i++) {
            Verdict verdict = MeridianTypes.checkUint8(MeridianTypes.ORDER, names[i], values[i]);
            if (!verdict.isOk()) {
                return verdict;
            }
        }
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account);
        m.put("instrument", MeridianTypes.u32(instrument));
        m.put("isBuy", isBuy);
        m.put("price", MeridianTypes.u64(price));
        m.put("quantity", MeridianTypes.u64(quantity));
        m.put("timeInForce", timeInForce);
        m.put("reduceOnly", reduceOnly);
        m.put("clientOrderId", MeridianTypes.u64(clientOrderId));
        m.put("orderType", orderType);
        m.put("triggerPrice", MeridianTypes.u64(triggerPrice));
        m.put("triggerSource", triggerSource);
        m.put("expireAt", MeridianTypes.u64(expireAt));
        m.put("postOnly", postOnly);
        m.put("displayQuantity", MeridianTypes.u64(displayQuantity));
        m.put("selfTradePrevention", selfTradePrevention);
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        MeridianTypes.requireValid(this);
        return new StructHasher(MeridianTypes.ORDER_TYPEHASH)
                .putAddress(account)
                .putUint(Integer.toUnsignedLong(instrument))
                .putBool(isBuy)
                .putUint(price)
                .putUint(quantity)
                .putUint(timeInForce)
                .putBool(reduceOnly)
                .putUint(clientOrderId)
                .putUint(orderType)
                .putUint(triggerPrice)
                .putUint(triggerSource)
                .putUint(expireAt)
                .putUint(postOnly)
                .putUint(displayQuantity)
                .putUint(selfTradePrevention)
                .putUint(nonce)
                .finish();
    }
}
