package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public String primaryType() {
        return MeridianTypes.CANCEL_ALL;
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
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        return new StructHasher(MeridianTypes.CANCEL_ALL_TYPEHASH)
                .putAddress(account)
                .putUint(Integer.toUnsignedLong(instrument))
                .putUint(nonce)
                .finish();
    }
}
