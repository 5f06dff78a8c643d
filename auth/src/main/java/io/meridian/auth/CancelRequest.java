package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public String primaryType() {
        return MeridianTypes.CANCEL;
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
        m.put("clientOrderId", MeridianTypes.u64(clientOrderId));
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        return new StructHasher(MeridianTypes.CANCEL_TYPEHASH)
                .putAddress(account)
                .putUint(Integer.toUnsignedLong(instrument))
                .putUint(orderId)
                .putUint(clientOrderId)
                .putUint(nonce)
                .finish();
    }
}
