package io.meridian.engine.audit;

import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.RiskBounds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.meridian.engine.audit.AuditedEngine.BTC;
import static io.meridian.engine.audit.AuditedEngine.ONE_BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shadow audit follows risk multipliers: after a SET_RISK_SCALE takes effect it margins the perpetual with the
 * listed tiers scaled by its own rule, agrees with the engine (including the liquidation the re-measure triggers), and
 * names the invariant when it is told a different multiplier than the engine applied, or a different position limit.
 *
 * <p>The venue: account 1 holds 1 BTC long from 50,000 with 1,000 USDC at 100x; the mark falls to 49,500 (equity 500,
 * maintenance 198 at the listed 0.4%); at 3x the rate is 1.2% (594), so the change liquidates it.
 */
class ShadowAuditRiskScaleTest {
    private static final long HOUR = 3_600_000_000_000L;
    private static final Secp256k1PrivateKey[] ADMINS = {key(1), key(2), key(3)};

    private static Secp256k1PrivateKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Secp256k1PrivateKey.of(bytes);
    }

    /** The venue under governance (2 of 3, no timelock), bounds 1x .. 3x, 3x an hour, no notice, two hours in. */
    private static AuditedEngine governed(AuditedEngine.Mutation mutation) {
        AuditedEngine venue = new AuditedEngine(LiquidationConfig.defaults(), mutation);
        venue.deposit(1, 1_000);
        venue.deposit(9, 10_000_000);
        venue.mark(500_000);
        venue.leverage(1, 100);
        venue.trade(1, 9, 500_000, ONE_BTC);
        venue.clock = 2 * HOUR;
        Command genesis = new Command().reset();
        genesis.type = CommandType.SET_GOVERNANCE;
        genesis.governanceSpec = new GovernanceSpec(Arrays.stream(ADMINS).map(k -> k.address().toLowerHex()).toList(),
                2, 0);
        venue.apply(genesis);
        Command propose = new Command().reset();
        propose.type = CommandType.PROPOSE_RISK_BOUNDS;
        propose.instrument = BTC;
        propose.riskBounds = new RiskBounds(1_000_000, 3_000_000, 3_000_000, 0, 0);
        propose.nonce = venue.clock / 1_000_000 + 1;
        venue.apply(SignedCommands.signAsOwner(propose, MeridianTypes.devDomain(), ADMINS[0]));
        Command approve = new Command().reset();
        approve.type = CommandType.APPROVE_PROPOSAL;
        approve.proposalId = venue.engine.lastSequence();
        approve.nonce = venue.clock / 1_000_000 + 2;
        venue.apply(SignedCommands.signAsOwner(approve, MeridianTypes.devDomain(), ADMINS[1]));
        venue.apply(tick());
        assertEquals(3_000_000, venue.engine.view().riskScale(BTC).bounds().ceilingPpm(), "the bounds took effect");
        return venue;
    }

    private static Command tick() {
        Command c = new Command().reset();
        c.type = CommandType.TIME_TICK;
        return c;
    }

    /** Falls to 49,500 with bids below for the liquidation, then 3x announced and applied (no notice). */
    private static void crashAndTriple(AuditedEngine venue) {
        venue.bid(9, 494_000, 5 * ONE_BTC);
        venue.mark(495_000);
        assertEquals(ONE_BTC, venue.engine.view().positions(BTC).size(1), "above maintenance at the listed rates");
        Command scale = new Command().reset();
        scale.type = CommandType.SET_RISK_SCALE;
        scale.instrument = BTC;
        scale.riskMultiplierPpm = 3_000_000;
        scale.effectiveAt = venue.clock + venue.engine.lastSequence() + 2;
        venue.apply(scale);
        venue.apply(tick());
        assertEquals(3_000_000, venue.engine.view().riskScale(BTC).multiplierPpm());
    }

    @Test
    void theShadowFollowsAMultiplierAndTheLiquidationItTriggers() {
        AuditedEngine venue = governed(null);
        crashAndTriple(venue);
        assertTrue(venue.engine.view().positions(BTC).size(1) < ONE_BTC, "the re-measure liquidated account 1");
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        assertEquals(List.of(), venue.violations);
        assertTrue(venue.audit.holds());
    }

    @Test
    void aMultiplierTheShadowIsToldWrongBreaksMaintenanceAndTheTiers() {
        AuditedEngine venue = governed((event, args) -> {
            if (event.equals("riskScaleApplied")) {
                args[3] = 2_000_000L;
            }
            return true;
        });
        crashAndTriple(venue);
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        List<String> names = venue.violatedNames();
        assertTrue(names.contains("maintenance-margin") && names.contains("risk-parameters"), names.toString());
    }

    @Test
    void aPositionLimitTheRuleDoesNotGiveBreaksRiskParameters() {
        AuditedEngine venue = governed((event, args) -> {
            if (event.equals("riskScaleApplied")) {
                args[4] = 5L;
            }
            return true;
        });
        crashAndTriple(venue);
        assertEquals(List.of("risk-parameters"), venue.violatedNames());
    }
}
