package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public String primaryType() {
        return MeridianTypes.WITHDRAW;
    }

    @Override
    public boolean agentMaySign() {
        return false;
    }

    @Override
    public Verdict validate() {
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account);
        m.put("asset", MeridianTypes.u32(asset));
        m.put("amount", MeridianTypes.u64(amount));
        m.put("destination", destination);
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        return new StructHasher(MeridianTypes.WITHDRAW_TYPEHASH)
                .putAddress(account)
                .putUint(Integer.toUnsignedLong(asset))
                .putUint(amount)
                .putAddress(destination)
                .putUint(nonce)
                .finish();
    }
}
