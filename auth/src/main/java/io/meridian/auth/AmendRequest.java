package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public String primaryType() {
        return MeridianTypes.AMEND;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }

    @Override
    public Verdict validate() {
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account);
        m.put("instrument", MeridianTypes.u32(instrument));
        m.put("orderId", MeridianTypes.u64(orderId));
        m.put("price", MeridianTypes.u64(price));
        m.put("quantity", MeridianTypes.u64(quantity));
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        return new StructHasher(MeridianTypes.AMEND_TYPEHASH)
                .putAddress(account)
                .putUint(Integer.toUnsignedLong(instrument))
                .putUint(orderId)
                .putUint(price)
                .putUint(quantity)
                .putUint(nonce)
                .finish();
    }
}
