package io.meridian.simulator;

import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Keccak;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.engine.RiskScaleView;
import io.meridian.engine.VolatilityRiskPolicy;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.RejectReason;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The stress lab's automated governance of one instrument (docs/stress.md, "Volatility-driven risk parameters"): at the
 * start, the venue's governance genesis with the lab's three admins (2 of 3, no timelock) and their signed proposal and
 * approval of the {@link DynamicRisk}'s bounds; then, every step, the volatility controller: it reads the engine's
 * {@link RiskScaleView} (the realised volatility and the multiplier in force), asks the {@link VolatilityRiskPolicy}
 * for a change and sends it as a SET_RISK_SCALE. All of it goes through {@link SimVenue#submit}, the path every
 * command of the run takes, so it is in the run's command log and a replay of the log reproduces it.
 *
 * <p><b>One announcement at a time.</b> While a change is announced and not yet in force the controller sends nothing:
 * an announcement is never revised, so what users were told is what happens. Otherwise, when the rate limit binds, a
 * target that moves every step would re-announce every step and push the change out for ever.
 *
 * <p>The admins' keys are deterministic test keys (Keccak-256 of a public label): anyone can sign as them, which is
 * what a simulation needs and why a real venue must never list them.
 */
final class RiskController {
    static final Eip712Domain DOMAIN = MeridianTypes.devDomain();
    /** The lab's admins' keys: test keys, public by construction. */
    static final List<Secp256k1PrivateKey> ADMINS = List.of(key(1), key(2), key(3));
    static final int THRESHOLD = 2;

    private final DynamicRisk settings;
    private final int instrument;
    private long nonce;
    /** SET_RISK_SCALE commands sent and refused by the engine (a healthy controller is never refused). */
    long sent;
    long refused;

    private RiskController(DynamicRisk settings, int instrument) {
        this.settings = settings;
        this.instrument = instrument;
    }

    private static Secp256k1PrivateKey key(int n) {
        return Secp256k1PrivateKey.of(Keccak.hash(("meridian stress lab admin " + n).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Sets the venue's governance and the instrument's bounds (in force from the next command: no timelock) and returns
     * the controller. Throws if the engine refuses any of it: the lab's own setup must not fail quietly.
     */
    static RiskController start(SimVenue venue, DynamicRisk settings, int instrument) {
        RiskController controller = new RiskController(settings, instrument);
        controller.nonce = venue.time() / 1_000_000;
        Command genesis = venue.command();
        genesis.type = CommandType.SET_GOVERNANCE;
        genesis.governanceSpec = new GovernanceSpec(ADMINS.stream().map(k -> k.address().toLowerHex()).toList(),
                THRESHOLD, 0);
        controller.require(venue, genesis);
        Command propose = venue.command();
        propose.type = CommandType.PROPOSE_RISK_BOUNDS;
        propose.instrument = instrument;
        propose.riskBounds = settings.bounds();
        long proposal = venue.commands() + 1;
        controller.require(venue, controller.sign(propose, 0));
        Command approve = venue.command();
        approve.type = CommandType.APPROVE_PROPOSAL;
        approve.proposalId = proposal;
        controller.require(venue, controller.sign(approve, 1));
        return controller;
    }

    /** Signs as admin {@code admin} with the next nonce, and checks the signature as a sequencer would. */
    private Command sign(Command c, int admin) {
        c.nonce = ++nonce;
        SignedCommands.signAsOwner(c, DOMAIN, ADMINS.get(admin));
        if (!SignedCommands.verify(DOMAIN, c).isOk()) {
            throw new IllegalStateException("the lab's admin signature does not verify: " + c.type);
        }
        return c;
    }

    private void require(SimVenue venue, Command c) {
        CommandType type = c.type;
        RejectReason reason = venue.submit(c);
        if (reason != null) {
            throw new IllegalStateException("the engine refused the lab's " + type + ": " + reason);
        }
    }

    /**
     * One controller pass, at the venue's current time (after the step's oracle reports): a change when the policy
     * calls for one and none is announced already.
     */
    void step(SimVenue venue) {
        RiskScaleView view = venue.engine().view().riskScale(instrument);
        if (view == null || view.nextMultiplierPpm() != 0) {
            return;
        }
        VolatilityRiskPolicy.Change change = settings.policy().decide(view, venue.time());
        if (change == null) {
            return;
        }
        Command c = venue.command();
        c.type = CommandType.SET_RISK_SCALE;
        c.instrument = instrument;
        c.riskMultiplierPpm = change.multiplierPpm();
        c.effectiveAt = change.effectiveAt();
        sent++;
        if (venue.submit(c) != null) {
            refused++;
        }
    }
}
