package io.meridian.auth;

import io.meridian.model.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One reject-code table: the gateway refuses with {@link AuthReject}, the engine with {@link RejectReason}, and a
 * client reads one {@code code} field from both, so every auth reject must be exactly one engine reason.
 */
class AuthRejectTest {

    @Test
    void noTwoRejectReasonsShareACode() {
        Map<Integer, RejectReason> byCode = new HashMap<>();
        for (RejectReason reason : RejectReason.values()) {
            RejectReason before = byCode.put(reason.code(), reason);
            assertNull(before, reason + " and " + before + " share code " + reason.code());
        }
    }

    @Test
    void everyAuthRejectIsExactlyOneEngineReasonWithItsCode() {
        Set<RejectReason> used = EnumSet.noneOf(RejectReason.class);
        for (AuthReject reject : AuthReject.values()) {
            RejectReason reason = reject.rejectReason();
            int sameCode = 0;
            for (RejectReason any : RejectReason.values()) {
                if (any.code() == reject.code()) {
                    sameCode++;
                }
            }
            assertEquals(1, sameCode, reject + ": engine reasons with code " + reject.code());
            assertSame(reason, RejectReason.ofCode(reject.code()), reject.toString());
            assertEquals(reason.message(), reject.description(), reject.toString());
            assertTrue(used.add(reason), reject + " maps to " + reason + ", which another auth reject already is");
            assertTrue(reason.name().equals(reject.name()) || reason.name().equals("AUTH_" + reject.name()),
                    reject + " is " + reason + ": the names should say they are the same reason");
        }
    }

    @Test
    void theCodesAreThePublishedOnes() {
        // docs/auth.md, "Reject reasons": codes are on the wire and never change meaning.
        String[] names = {"MALFORMED", "BAD_SIGNATURE", "MALLEABLE_SIGNATURE", "WRONG_SIGNER", "AGENT_NOT_AUTHORISED",
            "AGENT_EXPIRED", "AGENT_NOT_PERMITTED", "AGENT_LIMIT", "NONCE_REUSED", "NONCE_TOO_OLD", "NONCE_TOO_NEW"};
        assertEquals(names.length, AuthReject.values().length);
        for (int i = 0; i < names.length; i++) {
            assertEquals(8001 + i, AuthReject.valueOf(names[i]).code(), names[i]);
        }
    }
}
