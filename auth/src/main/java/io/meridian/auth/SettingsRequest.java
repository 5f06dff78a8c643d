package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A signed change of one instrument's setting for the account: its leverage, or its margin mode. Exactly one is set:
 * {@code leverage} 0 means "margin mode only", and {@code marginMode} 0 means "leverage only" (codes: 1 cross,
 * 2 isolated, the engine's margin modes' ordinal + 1).
 *
 * @param account    the owner's address
 * @param instrument instrument id ({@code uint32})
 * @param leverage   new leverage ({@code uint32}), 0 to leave it
 * @param marginMode new margin-mode code ({@code uint8}), 0 to leave it
 * @param nonce      the signer's nonce (epoch milliseconds)
 */
public record SettingsRequest(Address account, int instrument, int leverage, int marginMode, long nonce)
        implements AccountRequest {

    public SettingsRequest {
        Objects.requireNonNull(account, "account");
    }

    @Override
    public String primaryType() {
        return MeridianTypes.SETTINGS;
    }

    @Override
    public boolean agentMaySign() {
        return true;
    }

    @Override
    public Verdict validate() {
        Verdict mode = MeridianTypes.checkUint8(MeridianTypes.SETTINGS, "marginMode", marginMode);
        if (!mode.isOk()) {
            return mode;
        }
        if ((leverage == 0) == (marginMode == 0)) {
            return Verdict.reject(AuthReject.MALFORMED, "Settings: exactly one of leverage and marginMode is set");
        }
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account);
        m.put("instrument", MeridianTypes.u32(instrument));
        m.put("leverage", MeridianTypes.u32(leverage));
        m.put("marginMode", marginMode);
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        MeridianTypes.requireValid(this);
        return new StructHasher(MeridianTypes.SETTINGS_TYPEHASH)
                .putAddress(account)
                .putUint(Integer.toUnsignedLong(instrument))
                .putUint(Integer.toUnsignedLong(leverage))
                .putUint(marginMode)
                .putUint(nonce)
                .finish();
    }
}
