package io.meridian.node.codec;

import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.ProposalVote;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.RiskBounds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The governance routes' bodies: a well-formed proposal and vote become the commands the admin signed (and verify);
 * every malformed body is refused with a 400 naming the field, bounds the engine would refuse with 9005, and a
 * request without the admin's signature (whatever the auth mode) is refused.
 */
class GovernanceRequestsTest {
    private static final Instruments INSTRUMENTS = new Instruments(Map.of(1,
            InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")));
    /** Auth mode open: requests by account id allowed, yet governance is always signed. */
    private static final RequestSigning OPEN = new RequestSigning(MeridianTypes.devDomain(), false);
    private static final RiskBounds BOUNDS = new RiskBounds(1_000_000, 3_000_000, 1_000_000, 100_000, 60_000);
    private final Secp256k1PrivateKey admin = key();

    private static Secp256k1PrivateKey key() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 4);
        return Secp256k1PrivateKey.of(bytes);
    }

    private GovernanceRequests.ProposalBody signed(RiskBounds b) {
        Command c = new Command().reset();
        c.type = CommandType.PROPOSE_RISK_BOUNDS;
        c.instrument = 1;
        c.riskBounds = b;
        c.nonce = 1_700_000_000_000L;
        io.meridian.auth.SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), admin);
        return new GovernanceRequests.ProposalBody(ONE, b.floorPpm(), b.ceilingPpm(), b.maxChangePerHourPpm(),
                b.hysteresisPpm(), b.noticeMillis(), admin.address().toChecksumHex(), c.nonce,
                Hex.encode0x(c.signature));
    }

    private static final InstrumentRef ONE = InstrumentRef.id(1);
    private static final InstrumentRef SEVEN = InstrumentRef.id(7);

    @Test
    void aSignedProposalIsTheCommandTheAdminSigned() throws RequestException {
        Command c = GovernanceRequests.proposal(signed(BOUNDS), INSTRUMENTS, OPEN);
        assertEquals(CommandType.PROPOSE_RISK_BOUNDS, c.type);
        assertEquals(BOUNDS, c.riskBounds);
        assertArrayEquals(admin.address().toBytes(), c.address);
        OPEN.verify(c);
        // A body that says other bounds than were signed: the signature no longer proves the admin.
        GovernanceRequests.ProposalBody b = signed(BOUNDS);
        Command forged = GovernanceRequests.proposal(new GovernanceRequests.ProposalBody(ONE, b.floorPpm(),
                5_000_000L, b.maxChangePerHourPpm(), b.hysteresisPpm(), b.noticeMillis(), b.address(), b.nonce(),
                b.signature()), INSTRUMENTS, OPEN);
        RequestException e = assertThrows(RequestException.class, () -> OPEN.verify(forged));
        assertEquals(401, e.status());
    }

    @Test
    void badProposalsAreRefusedWithTheFieldNamed() {
        GovernanceRequests.ProposalBody b = signed(BOUNDS);
        Object[][] cases = {
            {new GovernanceRequests.ProposalBody(null, 1L, 2L, 1L, 0L, 0L, b.address(), b.nonce(), b.signature()),
                "instrument: required"},
            {new GovernanceRequests.ProposalBody(SEVEN, 1L, 2L, 1L, 0L, 0L, b.address(), b.nonce(), b.signature()),
                "instrument: no instrument 7"},
            {new GovernanceRequests.ProposalBody(ONE, null, 2L, 1L, 0L, 0L, b.address(), b.nonce(), b.signature()),
                "floorPpm: required"},
            {new GovernanceRequests.ProposalBody(ONE, 1_000_000L, 2_000_000L, 1L, -1L, 0L, b.address(), b.nonce(),
                b.signature()), "hysteresisPpm: must not be negative"},
            {new GovernanceRequests.ProposalBody(ONE, 1_000_000L, 2_000_000L, 1L, 0L, null, b.address(), b.nonce(),
                b.signature()), "noticeMillis: required"},
            {new GovernanceRequests.ProposalBody(ONE, 1_000_000L, 2_000_000L, 1L, 0L, 0L, null, null, null),
                "address, nonce and signature: all required"},
            {new GovernanceRequests.ProposalBody(ONE, 1_000_000L, 2_000_000L, 1L, 0L, 0L, "0x12", b.nonce(),
                b.signature()), "address"},
            {new GovernanceRequests.ProposalBody(ONE, 1_000_000L, 2_000_000L, 1L, 0L, 0L, b.address(), -1L,
                b.signature()), "nonce: must be"},
            {new GovernanceRequests.ProposalBody(ONE, 1_000_000L, 2_000_000L, 1L, 0L, 0L, b.address(), b.nonce(),
                "0x00"), "signature"},
        };
        for (Object[] c : cases) {
            RequestException e = assertThrows(RequestException.class, () -> GovernanceRequests.proposal(
                    (GovernanceRequests.ProposalBody) c[0], INSTRUMENTS, OPEN), c[1].toString());
            assertEquals(400, e.status(), e.getMessage());
            assertEquals(Codes.BAD_FIELD, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(c[1].toString()), e.getMessage());
        }
        RiskBounds[] refused = {
            new RiskBounds(50_000, 3_000_000, 1, 0, 0),
            new RiskBounds(2_000_000, 1_000_000, 1, 0, 0),
            new RiskBounds(1_000_000, 11_000_000, 1, 0, 0),
            new RiskBounds(1_000_000, 2_000_000, 0, 0, 0),
            new RiskBounds(1_000_000, 2_000_000, 1, 1_000_001, 0),
            new RiskBounds(1_000_000, 2_000_000, 1, 0, RiskBounds.MAX_NOTICE_MILLIS + 1),
        };
        for (RiskBounds bounds : refused) {
            RequestException e = assertThrows(RequestException.class,
                    () -> GovernanceRequests.proposal(signed(bounds), INSTRUMENTS, OPEN), bounds.toString());
            assertEquals(400, e.status());
            assertEquals(RejectReason.INVALID_RISK_BOUNDS.code(), e.code(), e.getMessage());
            assertTrue(e.getMessage().startsWith("riskBounds: "), e.getMessage());
        }
    }

    @Test
    void votesNameAPositiveProposalIdAndAreSigned() throws RequestException {
        Command c = new Command().reset();
        c.type = CommandType.CANCEL_PROPOSAL;
        c.proposalId = 12;
        c.nonce = 1_700_000_000_001L;
        io.meridian.auth.SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), admin);
        GovernanceRequests.VoteBody body = new GovernanceRequests.VoteBody(admin.address().toChecksumHex(), c.nonce,
                Hex.encode0x(c.signature));
        Command veto = GovernanceRequests.vote("12", ProposalVote.CANCEL, body, OPEN);
        assertEquals(CommandType.CANCEL_PROPOSAL, veto.type);
        assertEquals(12, veto.proposalId);
        OPEN.verify(veto);
        // The same signature as an approval: another message (action 0), so it does not verify.
        Command asApproval = GovernanceRequests.vote("12", ProposalVote.APPROVE, body, OPEN);
        assertEquals(CommandType.APPROVE_PROPOSAL, asApproval.type);
        assertThrows(RequestException.class, () -> OPEN.verify(asApproval));
        for (String id : new String[] {"0", "-1", "x", "1.5", "99999999999999999999"}) {
            RequestException e = assertThrows(RequestException.class,
                    () -> GovernanceRequests.vote(id, ProposalVote.APPROVE, body, OPEN), id);
            assertTrue(e.getMessage().startsWith("id: must be a positive whole number"), e.getMessage());
        }
        RequestException unsigned = assertThrows(RequestException.class, () -> GovernanceRequests.vote("12",
                ProposalVote.APPROVE, new GovernanceRequests.VoteBody(null, null, null), OPEN));
        assertTrue(unsigned.getMessage().contains("an admin signs every governance request"), unsigned.getMessage());
    }

    @Test
    void bodiesWithUnknownFieldsOrWrongTypesAreRefusedByTheStrictParser() {
        String[][] cases = {
            {"{\"instrument\":1,\"agentKey\":\"0x00\"}", "unknown field"},
            {"{\"instrument\":true}", "instrument:"},
            {"{\"instrument\":1,\"floorPpm\":1.5}", "floorPpm:"},
            {"{\"instrument\":1,\"floorPpm\":1,\"floorPpm\":2}", "duplicate key"},
        };
        for (String[] c : cases) {
            RequestException e = assertThrows(RequestException.class,
                    () -> Json.parse(c[0], GovernanceRequests.ProposalBody.class), c[0]);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        RequestException e = assertThrows(RequestException.class,
                () -> Json.parse("{\"address\":\"0x1\",\"sessionId\":3}", GovernanceRequests.VoteBody.class));
        assertTrue(e.getMessage().contains("unknown field"), e.getMessage());
    }
}
