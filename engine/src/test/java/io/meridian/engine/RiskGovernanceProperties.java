package io.meridian.engine;

import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RiskBounds;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.margin.MarginTier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The risk multiplier against a naive reference of docs/risk.md's rules (written out again here, in BigInteger where a
 * product could be large): after any sequence of announced changes (in and out of bounds, early, late, small, large),
 * time steps and new bounds taking effect, the engine accepts exactly the changes the rules accept, holds the same
 * multiplier and announced change, margins with the listed tiers scaled by the formula, and a snapshot taken at a random
 * point continues with the same state hash.
 */
class RiskGovernanceProperties {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final int BTC = 1;
    private static final Secp256k1PrivateKey ADMIN = Secp256k1PrivateKey.of(filled(7));

    /** The reference: the rules of docs/risk.md, "Announcing a change", applied literally. */
    private static final class Reference {
        RiskBounds bounds;
        long multiplier = 1_000_000;
        long changedAt;
        long pending;
        long pendingAt;
        /** Proposals queued (threshold 1: at once), in the order they take effect: by eta, then by id. */
        final List<Object[]> queued = new java.util.ArrayList<>();

        boolean accepts(long m, long effectiveAt, long now) {
            if (bounds == null || m < bounds.floorPpm() || m > bounds.ceilingPpm()) {
                return false;
            }
            long lead = effectiveAt - now;
            if (lead < bounds.noticeMillis() * 1_000_000L || lead > 24 * HOUR) {
                return false;
            }
            long change = Math.abs(m - multiplier);
            if (change == 0 || change < bounds.hysteresisPpm()) {
                return false;
            }
            long elapsed = Math.min(HOUR, Math.max(0, effectiveAt - changedAt));
            BigInteger allowed = BigInteger.valueOf(bounds.maxChangePerHourPpm()).multiply(BigInteger.valueOf(elapsed))
                    .divide(BigInteger.valueOf(HOUR));
            return BigInteger.valueOf(change).compareTo(allowed) <= 0;
        }

        /** The timers at {@code now}, in the engine's order: bounds due (by eta), then the announced change. */
        void advance(long now) {
            while (!queued.isEmpty() && now >= (long) queued.get(0)[1]) {
                bounds = (RiskBounds) queued.remove(0)[0];
                long clamped = bounds.clamp(multiplier);
                if (clamped != multiplier) {
                    multiplier = clamped;
                    changedAt = now;
                }
            }
            if (pending != 0 && now >= pendingAt) {
                multiplier = bounds.clamp(pending);
                changedAt = pendingAt;
                pending = 0;
                pendingAt = 0;
            }
        }
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Property(tries = 60)
    void theEngineFollowsTheRulesLiterally(@ForAll long seed) {
        Random rnd = new Random(seed);
        EventRecorder recorder = new EventRecorder(false);
        Engine engine = new Engine(recorder);
        long[] sequence = {0};
        long now = T0;
        Engine target = engine;
        java.util.function.BiConsumer<Command, Long> apply = (c, at) -> {
            c.sequence = ++sequence[0];
            c.timestamp = at;
            target.apply(c);
        };
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(0, "USDC", 6);
        apply.accept(asset, now);
        Command listing = new Command().reset();
        listing.type = CommandType.ADD_INSTRUMENT;
        listing.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(40_000);
        listing.positionLimit = 7_777;
        apply.accept(listing, now);
        List<MarginTier> listed = engine.view().marginTiers(BTC);
        Command genesis = new Command().reset();
        genesis.type = CommandType.SET_GOVERNANCE;
        genesis.governanceSpec = new GovernanceSpec(List.of(ADMIN.address().toLowerHex()), 1, 30 * 60_000L);
        apply.accept(genesis, now);

        Reference ref = new Reference();
        Engine restored = null;
        int snapshotAt = 10 + rnd.nextInt(40);
        for (int step = 0; step < 60; step++) {
            now += rnd.nextInt(4) == 0 ? rnd.nextInt(3) * HOUR : rnd.nextInt(20) * MINUTE;
            Command c = new Command().reset();
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                RiskBounds bounds = randomBounds(rnd);
                c.type = CommandType.PROPOSE_RISK_BOUNDS;
                c.instrument = BTC;
                c.riskBounds = bounds;
                c.nonce = now / 1_000_000 + step;
                SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), ADMIN);
                // Threshold 1: queued at once, in force after the 30-minute timelock; etas only grow with time.
                ref.queued.add(new Object[] {bounds, now + 30 * MINUTE});
            } else if (kind <= 6) {
                long m = 100_000 + rnd.nextInt(3) * rnd.nextInt(4_000_000);
                long effectiveAt = now + (rnd.nextInt(5) - 1) * rnd.nextInt(10) * MINUTE;
                if (kind >= 4 && ref.bounds != null) {
                    // Near what the rules allow, so that about half the changes pass and the edges are exercised.
                    m = Math.max(1, ref.multiplier + rnd.nextInt(600_001) - 300_000);
                    effectiveAt = now + ref.bounds.noticeMillis() * 1_000_000L + (rnd.nextInt(4) - 1) * MINUTE;
                }
                c.type = CommandType.SET_RISK_SCALE;
                c.instrument = BTC;
                c.riskMultiplierPpm = m;
                c.effectiveAt = effectiveAt;
            } else {
                c.type = CommandType.TIME_TICK;
            }
            ref.advance(now);
            boolean expectAccepted = c.type != CommandType.SET_RISK_SCALE
                    || ref.accepts(c.riskMultiplierPpm, c.effectiveAt, now);
            if (c.type == CommandType.SET_RISK_SCALE && expectAccepted) {
                ref.pending = c.riskMultiplierPpm;
                ref.pendingAt = c.effectiveAt;
            }
            recorder.clear();
            Command copy = new Command().copyFrom(c);
            apply.accept(c, now);
            if (restored != null) {
                copy.sequence = c.sequence;
                copy.timestamp = now;
                restored.apply(copy);
            }
            String where = "seed " + seed + " step " + step + " " + c.type;
            boolean rejected = !recorder.ofType(Event.CommandRejected.class).isEmpty();
            if (c.type == CommandType.PROPOSE_RISK_BOUNDS) {
                assertTrue(!rejected, where + " " + recorder.events());
            }
            if (c.type == CommandType.SET_RISK_SCALE) {
                net.jqwik.api.statistics.Statistics.collect(expectAccepted ? "change accepted" : "change refused");
                assertEquals(expectAccepted, !rejected, where + " m " + c.riskMultiplierPpm + " at " + c.effectiveAt
                        + " now " + now + " in force " + ref.multiplier + " since " + ref.changedAt + " bounds " + ref.bounds
                        + " " + recorder.events() + " view " + engine.view().riskScale(BTC));
            }
            RiskScaleView view = engine.view().riskScale(BTC);
            assertEquals(ref.multiplier, view.multiplierPpm(), where);
            assertEquals(ref.pending, view.nextMultiplierPpm(), where);
            assertEquals(ref.changedAt, view.changedAt(), where);
            assertEquals(ref.bounds, view.bounds(), where);
            assertTiersScaled(listed, view, where);
            if (step == snapshotAt) {
                SnapshotWriter out = new SnapshotWriter();
                EngineSnapshotFormat.write(engine, out);
                byte[] bytes = out.toByteArray();
                restored = EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length), new EventRecorder(false),
                        EngineConfig.defaults());
            }
            if (restored != null) {
                assertEquals(engine.stateHash(), restored.stateHash(), where);
            }
        }
    }

    /** Bounds that sometimes exclude the multiplier in force, so that their taking effect clamps it. */
    private static RiskBounds randomBounds(Random rnd) {
        long floor = 100_000 + rnd.nextInt(2_000_000);
        long ceiling = floor + rnd.nextInt(4_000_000);
        long hysteresis = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt((int) Math.min(500_000, ceiling - floor + 1));
        return new RiskBounds(floor, ceiling, 1 + rnd.nextInt(3_000_000), hysteresis, rnd.nextInt(3) * 60_000L);
    }

    /** Every tier in force is the listed one scaled by the formula of docs/risk.md, and the limit and band follow. */
    private static void assertTiersScaled(List<MarginTier> listed, RiskScaleView view, String where) {
        long m = view.multiplierPpm();
        for (int i = 0; i < listed.size(); i++) {
            MarginTier tier = listed.get(i);
            long mmr = Math.min(999_999, Math.max(1, ceil(tier.maintenanceRatePpm(), m)));
            long imr = Math.min(1_000_000, Math.max(mmr + 1, ceil(tier.initialRatePpm(), m)));
            MarginTier inForce = view.tiers().get(i);
            assertEquals(tier.notionalFloor(), inForce.notionalFloor(), where);
            assertEquals(mmr, inForce.maintenanceRatePpm(), where + " tier " + i);
            assertEquals(imr, inForce.initialRatePpm(), where + " tier " + i);
        }
        assertEquals(Math.max(1, 7_777L * 1_000_000 / m), view.positionLimit(), where);
        assertEquals(Math.min(1_000_000, 40_000L * m / 1_000_000), view.priceBandPpm(), where);
        assertTrue(view.bounds() == null || view.bounds().floorPpm() <= m && m <= view.bounds().ceilingPpm(), where);
    }

    private static long ceil(long rate, long multiplier) {
        return BigInteger.valueOf(rate).multiply(BigInteger.valueOf(multiplier)).add(BigInteger.valueOf(999_999))
                .divide(BigInteger.valueOf(1_000_000)).longValueExact();
    }
}
