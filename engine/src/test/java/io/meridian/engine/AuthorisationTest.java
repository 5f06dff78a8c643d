package io.meridian.engine;

import io.meridian.auth.Address;
import io.meridian.auth.SignedCommands;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.AuthReject;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounts opened by address, signed requests, agent approvals and nonces, as the engine decides them in log order. */
class AuthorisationTest {
    private static final int USDC = EngineFixture.USDC;
    private static final int BTC = EngineFixture.BTC;
    private static final long USD = EngineFixture.USD;
    /** 2026-11-25T00:00:00Z in epoch milliseconds: signed commands run at real times so nonce windows apply. */
    private static final long NOW_MS = 1_795_564_800_000L;
    private static final Eip712Domain DOMAIN = MeridianTypes.domain(1337,
            Address.parseOrThrow("0x000000000000000000000000000000000000dEaD"));

    private final Secp256k1PrivateKey alice = Secp256k1PrivateKey.of(bytes(0x11));
    private final Secp256k1PrivateKey bob = Secp256k1PrivateKey.of(bytes(0x22));
    private final AgentSigner bot = AgentSigner.of(bytes(0x33));
    private final ClockedFixture fx = new ClockedFixture();

    /** The standard fixture, driven with explicit wall-clock times. */
    private static final class ClockedFixture {
        final EngineFixture inner = EngineFixture.standard();
        long sequence = 2;
        long millis = NOW_MS;

        void apply(Command c) {
            c.sequence = ++sequence;
            c.timestamp = millis * 1_000_000L;
            inner.engine.apply(c);
        }
    }

    @BeforeEach
    void fundMarketMaker() {
        fx.apply(new Command().deposit(9, USDC, 1_000_000 * USD));
        fx.inner.recorder.clear();
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private Command depositTo(Secp256k1PrivateKey owner, long amount) {
        Command c = new Command().deposit(0, USDC, amount);
        c.address = owner.address().toBytes();
        return c;
    }

    private Command order(long nonce, long clientOrderId) {
        Command c = new Command().limit(0, BTC, fx.sequence + 1, Side.BUY, 600_000, 10, TimeInForce.GTC);
        c.clientOrderId = clientOrderId;
        c.nonce = nonce;
        return c;
    }

    private Command approve(AgentSigner agent, long nonce, long validUntil) {
        Command c = new Command().reset();
        c.type = CommandType.APPROVE_AGENT;
        c.agentKey = agent.publicKey().toBytes();
        c.agentName = "bot";
        c.nonce = nonce;
        c.validUntil = validUntil;
        return SignedCommands.signAsOwner(c, DOMAIN, alice);
    }

    private List<RejectReason> rejects() {
        return fx.inner.rejects();
    }

    private long accountOf(Secp256k1PrivateKey key) {
        return fx.inner.engine.view().accountOfAddress(key.address().toBytes());
    }

    @Test
    void aDepositToAnAddressOpensItsAccountOnceAndOnlyWhenItSucceeds() {
        Command unknownAsset = depositTo(alice, 5 * USD);
        unknownAsset.asset = 77;
        fx.apply(unknownAsset);
        assertEquals(0, accountOf(alice), "a rejected deposit binds nothing");
        fx.apply(depositTo(alice, 10_000 * USD));
        fx.apply(depositTo(bob, 1_000 * USD));
        fx.apply(depositTo(alice, 5_000 * USD));
        long a = accountOf(alice);
        long b = accountOf(bob);
        assertEquals(Authorisations.hashedAccount(alice.address()), a, "drawn from the address's hash");
        assertEquals(Authorisations.hashedAccount(bob.address()), b);
        assertTrue(a >= Authorisations.FIRST_ADDRESS_ACCOUNT && a < 1L << 53 && b >= Authorisations.FIRST_ADDRESS_ACCOUNT
                && b < 1L << 53 && Math.abs(a - b) > 1_000_000, "not in order, below 2^53: " + a + ", " + b);
        assertEquals(15_000 * USD, fx.inner.engine.view().ledger().balance(a, USDC));
        assertEquals(alice.address().toLowerHex(), fx.inner.engine.view().addressOfAccount(a));
        assertEquals(List.of(RejectReason.UNKNOWN_ASSET), rejects());
        Command wrongAccount = depositTo(alice, USD);
        wrongAccount.account = b;
        fx.apply(wrongAccount);
        assertEquals(RejectReason.ACCOUNT_MISMATCH, rejects().get(1));
    }

    @Test
    void signedOrdersTradeForTheAddressesAccountAndUnsignedOnesByAddressAreRefused() {
        fx.apply(depositTo(alice, 10_000 * USD));
        Command signed = SignedCommands.signAsOwner(order(NOW_MS, 7), DOMAIN, alice);
        assertTrue(SignedCommands.verify(DOMAIN, signed).isOk());
        fx.apply(signed);
        assertEquals(List.of(), rejects());
        Event.OrderAccepted accepted = fx.inner.recorder.ofType(Event.OrderAccepted.class).get(0);
        assertEquals(accountOf(alice), accepted.account());

        Command unsigned = order(NOW_MS + 1, 8);
        unsigned.address = alice.address().toBytes();
        fx.apply(unsigned);
        fx.apply(SignedCommands.signAsOwner(order(NOW_MS, 9), DOMAIN, bob));
        Command mismatch = SignedCommands.signAsOwner(order(NOW_MS + 2, 10), DOMAIN, alice);
        mismatch.account = 9;
        fx.apply(mismatch);
        Command deposit = new Command().deposit(0, USDC, USD);
        deposit.type = CommandType.TRANSFER;
        deposit.address = alice.address().toBytes();
        deposit.signature = new byte[65];
        fx.apply(deposit);
        assertEquals(List.of(RejectReason.SIGNATURE_REQUIRED, RejectReason.UNKNOWN_ADDRESS,
                RejectReason.ACCOUNT_MISMATCH, RejectReason.NOT_SIGNABLE), rejects());
    }

    @Test
    void aNonceIsUsedOnceEvenWhenItsOrderIsRejected() {
        fx.apply(depositTo(alice, 10 * USD));
        Command tooBig = SignedCommands.signAsOwner(order(NOW_MS, 1), DOMAIN, alice);
        fx.apply(tooBig);
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN), rejects());
        fx.apply(depositTo(alice, 100_000 * USD));
        Command replay = SignedCommands.signAsOwner(order(NOW_MS, 1), DOMAIN, alice);
        fx.apply(replay);
        Command stale = SignedCommands.signAsOwner(order(NOW_MS - 3L * 24 * 3600 * 1000, 2), DOMAIN, alice);
        fx.apply(stale);
        Command ahead = SignedCommands.signAsOwner(order(NOW_MS + 2L * 24 * 3600 * 1000, 3), DOMAIN, alice);
        fx.apply(ahead);
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN, RejectReason.NONCE_REUSED, RejectReason.NONCE_TOO_OLD,
                RejectReason.NONCE_TOO_NEW), rejects());
        assertEquals(0, fx.inner.recorder.ofType(Event.OrderAccepted.class).size());
    }

    @Test
    void agentsTradeOnlyWhileApprovedAndNeverWithdraw() {
        fx.apply(depositTo(alice, 10_000 * USD));
        fx.apply(SignedCommands.signAsAgent(order(NOW_MS, 1), DOMAIN, alice.address(), bot));
        fx.apply(approve(bot, NOW_MS, NOW_MS + 60_000));
        assertTrue(fx.inner.engine.view().agentAuthorised(alice.address().toBytes(), bot.publicKey().toBytes(), NOW_MS));
        Command byAgent = SignedCommands.signAsAgent(order(NOW_MS + 1, 2), DOMAIN, alice.address(), bot);
        assertTrue(SignedCommands.verify(DOMAIN, byAgent).isOk());
        fx.apply(byAgent);
        Command withdraw = new Command().withdraw(0, USDC, USD);
        withdraw.nonce = NOW_MS + 2;
        withdraw.destination = alice.address().toBytes();
        fx.apply(SignedCommands.signAsAgent(withdraw, DOMAIN, alice.address(), bot));
        // The agent's nonces are its own: the owner may use the same number.
        Command ownerWithdraw = new Command().withdraw(0, USDC, USD);
        ownerWithdraw.nonce = NOW_MS + 1;
        ownerWithdraw.destination = bob.address().toBytes();
        fx.apply(SignedCommands.signAsOwner(ownerWithdraw, DOMAIN, alice));
        assertEquals(List.of(RejectReason.AGENT_NOT_AUTHORISED, RejectReason.AGENT_NOT_PERMITTED), rejects());
        assertEquals(9_999 * USD, fx.inner.engine.view().ledger().balance(accountOf(alice), USDC));

        fx.millis = NOW_MS + 60_000;
        fx.apply(SignedCommands.signAsAgent(order(NOW_MS + 3, 3), DOMAIN, alice.address(), bot));
        fx.apply(approve(bot, NOW_MS + 60_001, NOW_MS + 120_000));
        fx.apply(SignedCommands.signAsAgent(order(NOW_MS + 4, 4), DOMAIN, alice.address(), bot));
        Command revoke = new Command().reset();
        revoke.type = CommandType.REVOKE_AGENT;
        revoke.agentKey = bot.publicKey().toBytes();
        revoke.nonce = NOW_MS + 60_002;
        fx.apply(SignedCommands.signAsOwner(revoke, DOMAIN, alice));
        fx.apply(SignedCommands.signAsAgent(order(NOW_MS + 5, 5), DOMAIN, alice.address(), bot));
        // A delayed copy of the first approval cannot undo the revocation.
        fx.apply(approve(bot, NOW_MS + 1, NOW_MS + 120_000));
        assertEquals(List.of(RejectReason.AGENT_NOT_AUTHORISED, RejectReason.AGENT_NOT_PERMITTED,
                RejectReason.AGENT_EXPIRED, RejectReason.AGENT_NOT_AUTHORISED, RejectReason.NONCE_REUSED), rejects());
        assertEquals(2, fx.inner.recorder.ofType(Event.OrderAccepted.class).size());
        assertFalse(fx.inner.engine.view().agentAuthorised(alice.address().toBytes(), bot.publicKey().toBytes(),
                NOW_MS + 60_003));
    }

    @Test
    void settingsCancelsAndAmendsAreSignedToo() {
        fx.apply(depositTo(alice, 10_000 * USD));
        fx.apply(SignedCommands.signAsOwner(order(NOW_MS, 1), DOMAIN, alice));
        long orderId = fx.inner.recorder.ofType(Event.OrderAccepted.class).get(0).orderId();
        Command amend = new Command().amend(0, BTC, orderId, 590_000, 0);
        amend.nonce = NOW_MS + 1;
        fx.apply(SignedCommands.signAsOwner(amend, DOMAIN, alice));
        Command leverage = EngineFixture.leverage(0, BTC, 5);
        leverage.nonce = NOW_MS + 2;
        fx.apply(SignedCommands.signAsOwner(leverage, DOMAIN, alice));
        Command cancel = new Command().cancel(0, BTC, orderId);
        cancel.nonce = NOW_MS + 3;
        fx.apply(SignedCommands.signAsOwner(cancel, DOMAIN, alice));
        Command mode = EngineFixture.marginMode(0, BTC, MarginMode.ISOLATED);
        mode.nonce = NOW_MS + 4;
        Command signedMode = SignedCommands.signAsOwner(mode, DOMAIN, alice);
        assertTrue(SignedCommands.verify(DOMAIN, signedMode).isOk());
        fx.apply(signedMode);
        assertEquals(List.of(), rejects());
        assertEquals(1, fx.inner.recorder.ofType(Event.OrderAmended.class).size());
        assertEquals(1, fx.inner.recorder.ofType(Event.OrderCanceled.class).size());
    }

    @Test
    void verificationCatchesAnyAlteredField() {
        Command signed = SignedCommands.signAsOwner(order(NOW_MS, 7), DOMAIN, alice);
        signed.price += 1;
        assertEquals(AuthReject.WRONG_SIGNER, SignedCommands.verify(DOMAIN, signed).reason());
        Command other = SignedCommands.signAsOwner(order(NOW_MS, 7), DOMAIN, alice);
        assertEquals(AuthReject.WRONG_SIGNER, SignedCommands.verify(MeridianTypes.domain(1, alice.address()), other)
                .reason(), "a signature for one venue does not verify on another");
        Command byAgent = SignedCommands.signAsAgent(order(NOW_MS, 7), DOMAIN, alice.address(), bot);
        byAgent.quantity = 11;
        assertEquals(AuthReject.BAD_SIGNATURE, SignedCommands.verify(DOMAIN, byAgent).reason());
        Command noSide = order(NOW_MS, 7);
        noSide.side = null;
        noSide.address = alice.address().toBytes();
        noSide.signature = new byte[65];
        assertEquals(AuthReject.MALFORMED, SignedCommands.verify(DOMAIN, noSide).reason());
    }

    @Test
    void authorisationStateIsPartOfTheStateHash() {
        fx.apply(depositTo(alice, 10_000 * USD));
        long before = fx.inner.engine.stateHash();
        ClockedFixture twin = new ClockedFixture();
        twin.apply(new Command().deposit(9, USDC, 1_000_000 * USD));
        twin.apply(depositTo(alice, 10_000 * USD));
        assertEquals(before, twin.inner.engine.stateHash());
        fx.apply(approve(bot, NOW_MS, NOW_MS + 1_000));
        twin.apply(new Command().deposit(9, USDC, 0));
        assertNotEquals(fx.inner.engine.stateHash(), twin.inner.engine.stateHash());
        assertNull(fx.inner.engine.view().addressOfAccount(9));
    }

    private Command openSession(long nonce, long validUntil, AgentSigner agent) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.nonce = nonce;
        c.validUntil = validUntil;
        return agent == null ? SignedCommands.signAsOwner(c, DOMAIN, alice)
                : SignedCommands.signAsAgent(c, DOMAIN, alice.address(), agent);
    }

    private Command inSession(Command c, long sessionId, AgentSigner agent) {
        c.address = alice.address().toBytes();
        c.agentKey = agent == null ? null : agent.publicKey().toBytes();
        c.sessionId = sessionId;
        return c;
    }

    @Test
    void ordersInASessionNeedNoSignatureUntilItEndsOrItsAgentIsRevoked() {
        fx.apply(depositTo(alice, 10_000 * USD));
        fx.apply(depositTo(bob, 10_000 * USD));
        Command login = openSession(NOW_MS, NOW_MS + 60_000, null);
        assertTrue(SignedCommands.verify(DOMAIN, login).isOk());
        fx.apply(login);
        long session = login.sequence;
        fx.apply(inSession(order(0, 1), session, null));
        fx.apply(inSession(order(0, 2), session, null));
        assertEquals(List.of(), rejects());
        assertEquals(2, fx.inner.recorder.ofType(Event.OrderAccepted.class).size());
        // Not for withdrawals, not in someone else's session, not with another key, not after it ends.
        Command withdraw = new Command().withdraw(0, USDC, USD);
        fx.apply(inSession(withdraw, session, null));
        Command bobs = order(0, 3);
        bobs.address = bob.address().toBytes();
        bobs.sessionId = session;
        fx.apply(bobs);
        fx.apply(inSession(order(0, 4), session, bot));
        fx.apply(inSession(order(0, 5), session + 1, null));
        fx.millis = NOW_MS + 60_000;
        fx.apply(inSession(order(0, 6), session, null));
        assertEquals(List.of(RejectReason.NOT_IN_SESSION, RejectReason.INVALID_SESSION, RejectReason.INVALID_SESSION,
                RejectReason.INVALID_SESSION, RejectReason.INVALID_SESSION), rejects());

        // An agent's session: opened by the agent, ended by its revocation.
        fx.apply(approve(bot, NOW_MS + 60_001, NOW_MS + 600_000));
        Command agentLogin = openSession(NOW_MS + 60_002, NOW_MS + 300_000, bot);
        fx.apply(agentLogin);
        fx.apply(inSession(order(0, 7), agentLogin.sequence, bot));
        Command revoke = new Command().reset();
        revoke.type = CommandType.REVOKE_AGENT;
        revoke.agentKey = bot.publicKey().toBytes();
        revoke.nonce = NOW_MS + 60_003;
        fx.apply(SignedCommands.signAsOwner(revoke, DOMAIN, alice));
        fx.apply(inSession(order(0, 8), agentLogin.sequence, bot));
        fx.apply(openSession(NOW_MS + 60_004, NOW_MS + 60_000 + Authorisations.MAX_SESSION_MILLIS + 1, null));
        assertEquals(List.of(RejectReason.INVALID_SESSION, RejectReason.INVALID_SESSION_LENGTH),
                rejects().subList(5, rejects().size()));
        assertEquals(3, fx.inner.recorder.ofType(Event.OrderAccepted.class).size());
    }

}
