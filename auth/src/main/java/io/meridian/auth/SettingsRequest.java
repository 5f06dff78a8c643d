package io.meridian.auth;

import io.meridian.model.CommandType;

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

    /**
     * The struct: each member with its Solidity type, this record's component and the command field it is signed from
     * (SET_LEVERAGE signs its leverage and margin mode 0, SET_MARGIN_MODE leverage 0 and its margin mode's code); and
     * the rule that exactly one of the two is set.
     */
    static final SignedStruct<SettingsRequest> STRUCT = SignedStruct.builder(MeridianTypes.SETTINGS,
                    SettingsRequest.class)
            .address("account", SettingsRequest::account, SignedCommands::account)
            .uint32("instrument", SettingsRequest::instrument, c -> c.instrument)
            .uint32("leverage", SettingsRequest::leverage, c -> c.type == CommandType.SET_LEVERAGE ? c.leverage : 0)
            .uint8("marginMode", SettingsRequest::marginMode,
                    c -> c.type == CommandType.SET_MARGIN_MODE && c.marginMode != null ? c.marginMode.ordinal() + 1 : 0)
            .uint64("nonce", SettingsRequest::nonce, c -> c.nonce)
            .check(SettingsRequest::checkExactlyOne)
            .build();

    private static Verdict checkExactlyOne(SettingsRequest settings) {
        if ((settings.leverage == 0) == (settings.marginMode == 0)) {
            return Verdict.reject(AuthReject.MALFORMED, "Settings: exactly one of leverage and marginMode is set");
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
